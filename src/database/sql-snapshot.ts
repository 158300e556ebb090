import type { EntityManager } from 'typeorm';

/** In a sample, stands for the transaction's EntityManager. */
export const IN_TRANSACTION = Symbol('in transaction');

type Sample = unknown[];
const samples = new Map<object, Map<string, Sample[]>>();

/**
 * Marks a repository method whose SQL goes into the repository's committed `.sql` snapshot
 * (`npm run sql`; test/sql-snapshots.e2e-spec.ts fails when it is out of date). Each sample is
 * one argument list to call it with; IN_TRANSACTION stands for the EntityManager of a
 * transaction. A method with statements that depend on its arguments gets a sample per shape.
 */
export function GenerateSql(...argumentLists: Sample[]): MethodDecorator {
  return (target, method) => {
    const byMethod = samples.get(target.constructor) ?? new Map<string, Sample[]>();
    byMethod.set(String(method), argumentLists.length > 0 ? argumentLists : [[]]);
    samples.set(target.constructor, byMethod);
  };
}

/** The methods of a repository class marked with GenerateSql, in declaration order, with their samples. */
export function sqlSamples(repository: abstract new (...args: never[]) => unknown): [string, Sample[]][] {
  return [...(samples.get(repository) ?? new Map<string, Sample[]>())];
}

export function withManager(sample: Sample, manager: EntityManager): unknown[] {
  return sample.map((arg) => (arg === IN_TRANSACTION ? manager : arg));
}

/** Sample values: any well-formed uuid will do, the statements run on an empty database and are rolled back. */
export const SAMPLE_UUID = '00000000-0000-4000-8000-000000000001';
export const SAMPLE_HASH = '0'.repeat(64);
