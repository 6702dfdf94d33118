import { CronExpressionParser } from 'cron-parser';
import { LokoleError } from '@lokole/protocol';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const FIELD_NAMES = ['minute', 'hour', 'day of month', 'month', 'day of week'] as const;
const NAMES = /\b(sun|mon|tue|wed|thu|fri|sat|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b/gi;
// Numbers, names (mon, jan), ranges, lists and steps: what cron-parser and systemd both understand.
const PLAIN_FIELD = /^[0-9*,/-]+$/;

function unsupported(expression: string, why: string): LokoleError {
  return new LokoleError(
    'INVALID_INPUT',
    `The sync schedule "${expression}" cannot be run by the systemd timer: ${why}. Use a plain schedule such as "0 2 * * *" (every night at 02:00) or "30 1 * * 1-5" (weekdays at 01:30).`,
    { reason: 'unsupported-cron' },
  );
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** `1,2,3,5` → `01..03,05`: runs of three or more become systemd ranges. */
function compact(values: readonly number[], name: (value: number) => string): string {
  const parts: string[] = [];
  let start = 0;
  while (start < values.length) {
    let end = start;
    while (end + 1 < values.length && values[end + 1] === (values[end] as number) + 1) end += 1;
    const first = values[start] as number;
    const last = values[end] as number;
    if (end - start >= 2) parts.push(`${name(first)}..${name(last)}`);
    else for (let index = start; index <= end; index += 1) parts.push(name(values[index] as number));
    start = end + 1;
  }
  return parts.join(',');
}

function field(values: readonly number[], full: number, name: (value: number) => string = pad): string {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  return sorted.length === full ? '*' : compact(sorted, name);
}

/**
 * Converts a five-field cron schedule (minute hour day month weekday) into a systemd `OnCalendar=`
 * value, with the time zone appended when given. Supports numbers, names, `*`, lists, ranges and
 * steps. Refuses what systemd would run differently: a day of month together with a day of week
 * (cron runs on either, systemd only on both), and the `L`, `W`, `#` and `?` extensions.
 */
export function cronToOnCalendar(expression: string, timeZone?: string): string {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) {
    throw unsupported(
      expression,
      `expected five fields (minute hour day month weekday), found ${parts.length}`,
    );
  }
  parts.forEach((part, index) => {
    if (!PLAIN_FIELD.test(part.replace(NAMES, '0'))) {
      throw unsupported(
        expression,
        `the ${FIELD_NAMES[index]} field "${part}" uses something other than numbers, names, *, lists, ranges and steps (such as L, W, # or ?)`,
      );
    }
  });
  const [, , dayOfMonth = '*', , dayOfWeek = '*'] = parts;
  if (dayOfMonth !== '*' && dayOfWeek !== '*') {
    throw unsupported(
      expression,
      'it names both a day of the month and a day of the week (cron runs on either, systemd only on days that are both)',
    );
  }
  let fields;
  try {
    fields = CronExpressionParser.parse(expression.trim()).fields;
  } catch (error) {
    throw new LokoleError(
      'INVALID_INPUT',
      `The sync schedule "${expression}" is not a valid cron schedule: ${(error as Error).message}.`,
      { reason: 'bad-cron', cause: error },
    );
  }
  const weekdays = fields.dayOfWeek.values.map((day) => Number(day) % 7);
  const weekday = field(weekdays, 7, (day) => WEEKDAYS[day] as string);
  const date = `*-${field(fields.month.values.map(Number), 12)}-${field(fields.dayOfMonth.values.map(Number), 31)}`;
  const time = `${field(fields.hour.values.map(Number), 24)}:${field(fields.minute.values.map(Number), 60)}:00`;
  return [weekday === '*' ? undefined : weekday, date, time, timeZone].filter(Boolean).join(' ');
}
