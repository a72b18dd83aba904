// Validates an AsyncAPI document with @asyncapi/parser (the parser and rules `asyncapi validate` uses) and prints
// every diagnostic. Exit status 1 when there is any error or warning.
import { readFile } from 'node:fs/promises';
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';

const file = process.argv[2];
const { diagnostics } = await new Parser().parse(await readFile(file, 'utf8'), { source: file });
const names = { [DiagnosticSeverity.Error]: 'error', [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info', [DiagnosticSeverity.Hint]: 'hint' };
const counts = { error: 0, warning: 0, info: 0, hint: 0 };
for (const d of diagnostics) {
  const severity = names[d.severity];
  counts[severity]++;
  console.log(`${severity} ${d.code} at ${d.path.join('.') || '(root)'}: ${d.message}`);
}
console.log(`${file}: ${counts.error} errors, ${counts.warning} warnings, ${counts.info} infos, ${counts.hint} hints`);
process.exit(counts.error + counts.warning > 0 ? 1 : 0);
