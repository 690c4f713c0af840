/** What the two command lines (`npm run bench`, `npm run soak`) share: their options and their output. */
import { writeFile } from 'node:fs/promises';
import { type ParseArgsConfig, parseArgs } from 'node:util';

/**
 * `argv` parsed against `options`, or undefined when an option is unknown or lacks its value: the
 * error is printed with `usage`, and the caller exits 2.
 */
export function parseOptions<const T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  usage: string,
): ReturnType<typeof parseArgs<{ args: string[]; options: T }>>['values'] | undefined {
  try {
    return parseArgs({ args: argv, options }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return undefined;
  }
}

/** The full report as JSON in `out`, for machines; `table` on stdout, for people. */
export async function writeReport(out: string, report: unknown, table: string): Promise<void> {
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(table);
  console.log(`\nFull report: ${out}`);
}
