import { type Logger, pino } from 'pino';

export type { Logger };

/** Structured JSON logs; each module takes a child: `logger.child({ module: 'rooms' })`. */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { ...base }, timestamp: pino.stdTimeFunctions.isoTime });
}
