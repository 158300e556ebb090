import type { DestinationStream } from 'pino';
import { build, prettyFactory, type MessageFormatFunc, type PrettyOptions } from 'pino-pretty';

/** The values LOG_FORMAT takes: `auto` is readable lines on a terminal and JSON lines elsewhere. */
export const LOG_FORMAT_SETTINGS = ['auto', 'pretty', 'json'] as const;
export type LogFormatSetting = (typeof LOG_FORMAT_SETTINGS)[number];

/** What the process writes on stdout: pino's JSON lines, or one readable line per event. */
export type LogFormat = 'json' | 'pretty';

/**
 * A log collector reads stdout through a pipe or a file, and gets JSON; a person watching a
 * terminal gets readable lines. LOG_FORMAT=json or pretty overrides the guess either way.
 */
export function resolveLogFormat(setting: LogFormatSetting, stdoutIsTTY: boolean): LogFormat {
  if (setting === 'auto') return stdoutIsTTY ? 'pretty' : 'json';
  return setting;
}

/** Colour codes only reach a terminal, and not one whose user set NO_COLOR (no-color.org). */
export function colourFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

/**
 * Context, message, then what a request line is about: `[Context] request completed GET /url
 * 200 3ms reqId=…`. The request id also ends the lines services write while handling a request
 * (their logger is bound to the request, see request-logger.ts).
 */
const formatMessage: MessageFormatFunc = (log, messageKey, _levelLabel, { colors }) => {
  const parts: string[] = [];
  if (typeof log.context === 'string') parts.push(colors.yellow(`[${log.context}]`));
  parts.push(String(log[messageKey] ?? ''));
  const req = (log.req ?? {}) as { id?: unknown; method?: unknown; url?: unknown };
  const res = (log.res ?? {}) as { statusCode?: unknown };
  if (req.method !== undefined) parts.push(`${String(req.method)} ${String(req.url)}`);
  if (res.statusCode !== undefined) parts.push(String(res.statusCode));
  if (log.responseTime !== undefined) parts.push(`${String(log.responseTime)}ms`);
  if (req.id !== undefined) parts.push(colors.gray(`reqId=${String(req.id)}`));
  return parts.join(' ');
};

function prettyOptions(colorize: boolean): PrettyOptions {
  return {
    colorize,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    messageFormat: formatMessage,
    // `req` and `res` are shown by formatMessage (id, method, url, status), which is all the
    // service puts in them; anything else there (headers, were they ever logged) stays out of
    // the readable lines, on top of the root logger's redaction. Other fields follow the message
    // as one JSON object; an error keeps its stack, on the lines below.
    ignore: 'pid,hostname,context,req,res,responseTime',
  };
}

/**
 * pino's destination in pretty mode. The lines are formatted in this process and written
 * synchronously, like pino's own JSON lines: a line logged just before `process.exit` (a
 * failed start, the end of a shutdown) is not lost, and stays in order with the lines main.ts
 * writes itself. A worker-thread transport would write them later, from another thread, and
 * could not take the formatting function above.
 */
export function prettyDestination(colorize: boolean, destination?: NodeJS.WritableStream): DestinationStream {
  return build({
    ...prettyOptions(colorize),
    sync: true,
    ...(destination ? { destination } : {}),
  });
}

const lineFormatters = new Map<boolean, (entry: object) => string>();

/** One entry formatted as prettyDestination would write it, for lines written without a logger. */
export function prettyLine(entry: object, colorize: boolean): string {
  let format = lineFormatters.get(colorize);
  if (!format) lineFormatters.set(colorize, (format = prettyFactory(prettyOptions(colorize))));
  return format(entry);
}
