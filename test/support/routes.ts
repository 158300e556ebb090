import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { AUTH_METADATA, AuthRequirement } from '../../src/auth/authenticated.decorator';

export interface RouteInfo {
  /** "GET /api/v1/cameras/:id" */
  route: string;
  controller: string;
  handler: string;
  auth: AuthRequirement | undefined;
}

function joinPath(...parts: (string | string[] | undefined)[]): string {
  const segments = parts
    .flatMap((p) => (Array.isArray(p) ? p : [p]))
    .map((p) => (p ?? '').replace(/^\/+|\/+$/g, ''))
    .filter((p) => p.length > 0);
  return `/${segments.join('/')}`;
}

/**
 * Every HTTP handler of every controller Nest registered, with the auth metadata the global
 * guard will read for it (handler first, then class, exactly as the guard asks the Reflector).
 */
export function discoverRoutes(app: INestApplication): RouteInfo[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = app.get(Reflector);
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    const type = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
    if (!instance || !type) continue;
    const prefix = Reflect.getMetadata(PATH_METADATA, type) as string | string[] | undefined;
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as (...args: unknown[]) => unknown;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) continue; // a helper, not a route
      routes.push({
        route: `${RequestMethod[method]} ${joinPath(prefix, path)}`,
        controller: type.name,
        handler: name,
        auth: reflector.getAllAndOverride<AuthRequirement | undefined>(AUTH_METADATA, [handler, type]),
      });
    }
  }
  return routes;
}

/**
 * The routes Express actually serves ("GET /healthz"), read from its router. Nest registers one
 * route layer per handler and method; its middleware (`forRoutes('{*splat}')`) shows up as
 * wildcard layers answering every method, which are not handlers and are left out.
 */
export function expressRoutes(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router?: { stack: unknown[] }; _router?: { stack: unknown[] } };
  const stack = (express.router ?? express._router)?.stack ?? [];
  const out: string[] = [];
  for (const layer of stack as { route?: { path: string; methods: Record<string, boolean> } }[]) {
    if (!layer.route) continue;
    const methods = Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m]);
    if (methods.length > 1 && layer.route.path.includes('*')) continue;
    for (const m of methods) out.push(`${m.toUpperCase()} ${layer.route.path}`);
  }
  return out;
}

/** A requirement the guard accepts: public, or authenticated with a known role. */
export function isValidRequirement(req: AuthRequirement | undefined, roles: readonly string[]): boolean {
  if (!req) return false;
  if (req.public === true) return true;
  return req.public === false && roles.includes(req.role);
}
