import test from 'ava';
import { CronExpressionParser } from 'cron-parser';
import { execa } from 'execa';
import { isLokoleError } from '@lokole/protocol';
import { cronToOnCalendar } from '../../src/device-config/index.js';

const converts = test.macro({
  exec(t, cron: string, expected: string) {
    t.is(cronToOnCalendar(cron), expected);
  },
  title: (_given, cron, expected) => `cron "${cron}" becomes OnCalendar "${expected}"`,
});

test(converts, '0 2 * * *', '*-*-* 02:00:00');
test(converts, '30 1 * * 1-5', 'Mon..Fri *-*-* 01:30:00');
test(converts, '*/15 * * * *', '*-*-* *:00,15,30,45:00');
test(converts, '0 */6 * * *', '*-*-* 00,06,12,18:00:00');
test(converts, '0 2,14 * * *', '*-*-* 02,14:00:00');
test(converts, '0 3 1 * *', '*-*-01 03:00:00');
test(converts, '0 3 * 1,6 *', '*-01,06-* 03:00:00');
test(converts, '0 22 * * sun,sat', 'Sun,Sat *-*-* 22:00:00');
test(converts, '0 22 * * 7', 'Sun *-*-* 22:00:00');

test('the time zone is appended when given', (t) => {
  t.is(cronToOnCalendar('0 2 * * *', 'Africa/Kinshasa'), '*-*-* 02:00:00 Africa/Kinshasa');
});

const refuses = test.macro({
  exec(t, cron: string, message: RegExp) {
    const error = t.throws(() => cronToOnCalendar(cron));
    t.true(isLokoleError(error, 'INVALID_INPUT'));
    t.regex(error?.message ?? '', message);
    t.true((error?.message ?? '').includes(`"${cron}"`));
  },
  title: (_given, cron) => `cron "${cron}" is refused with a message naming it`,
});

test(refuses, '0 2 1 * 1', /both a day of the month and a day of the week/);
test(refuses, '0 2 L * *', /L, W, # or \?/);
test(refuses, '0 2 * * 1#2', /L, W, # or \?/);
test(refuses, '0 0 2 * * *', /five fields/);
test(refuses, '0 2 * * banana', /banana/);

// systemd's own reading of the converted schedule must give the same times as cron's.
async function systemdElapses(spec: string): Promise<string[]> {
  const { stdout } = await execa('systemd-analyze', ['calendar', '--iterations=5', `${spec} UTC`], {
    env: { TZ: 'UTC' },
  });
  return [...stdout.matchAll(/(?:Next elapse|Iter\. #\d+): \w{3} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC/g)].map(
    (match) => match[1] as string,
  );
}

function cronElapses(cron: string): string[] {
  const expression = CronExpressionParser.parse(cron, { tz: 'UTC', currentDate: new Date() });
  return expression.take(5).map((date) => (date.toISOString() ?? '').replace('T', ' ').slice(0, 19));
}

for (const cron of ['0 2 * * *', '30 1 * * 1-5', '*/20 3-5 * * *', '0 4 1,15 * *', '15 23 * 2-4 sat']) {
  test(`systemd runs the converted "${cron}" at the times cron would`, async (t) => {
    const spec = cronToOnCalendar(cron);
    let systemd = await systemdElapses(spec);
    let cronTimes = cronElapses(cron);
    // A minute boundary between the two reads of the clock shifts one list: read both again.
    if (systemd.join() !== cronTimes.join()) {
      systemd = await systemdElapses(spec);
      cronTimes = cronElapses(cron);
    }
    t.is(systemd.length, 5);
    t.deepEqual(systemd, cronTimes);
  });
}
