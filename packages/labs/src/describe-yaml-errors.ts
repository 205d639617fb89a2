// YAML syntax errors of lab.yaml, for people: the first real error with line, column and a sentence
// saying what to do, instead of the parser's cascade (one unquoted `awk -F': '` made hundreds of
// follow-on errors). Duplicate keys are independent of each other, so every one is reported.
import type { LineCounter, YAMLError } from 'yaml';
import type { LabIssue } from './lab.types';

const QUOTING_HINT =
  'quote the whole value (\'...\', doubling any \' inside, or "..." escaping " and \\) or write it as a block scalar (`run: |` with the script indented on the next lines)';

/** A plain (unquoted) value on this line that YAML will misread: it holds ": ", " #", or starts with a reserved character. */
function needsQuoting(line: string): boolean {
  // The value of each `key: value` on the line (block style, or inside a flow mapping).
  for (const m of line.matchAll(/(?:^|[{,\s])[A-Za-z_][\w.-]*:\s+(.+)$/g)) {
    const value = m[1]!.trim();
    if (/^(['"]).*?\1\s*[^\s,}\]#]/.test(value)) return true; // text after a closing quote
    if (/^['"[{|>]/.test(value)) continue;
    if (/: |\s#|^[@`%!&*]/.test(value)) return true;
  }
  return false;
}

function describeOne(error: YAMLError, text: string, lines: LineCounter): LabIssue {
  const { line, col } = lines.linePos(error.pos[0]);
  const source = text.split('\n')[line - 1] ?? '';
  const parserSays = error.message.split('\n')[0]!.replace(/\s+at line \d+, column \d+.*$/, '');
  let message: string;
  switch (error.code) {
    case 'DUPLICATE_KEY': {
      const key = source.slice(col - 1).match(/^["']?([^:,}"']+)/)?.[1]?.trim();
      message = `${key ? `the key "${key}"` : 'a key'} appears twice in the same mapping (YAML keys must be unique)`;
      break;
    }
    case 'TAB_AS_INDENT':
      message = 'a tab is used for indentation; YAML indents with spaces only';
      break;
    case 'MISSING_CHAR':
      message = `${parserSays}: a quoted value (or a [ ] or { } list) was opened and never closed`;
      break;
    case 'BLOCK_AS_IMPLICIT_KEY':
      message = `a value contains ": ", which YAML reads as a nested key: ${QUOTING_HINT}`;
      break;
    default:
      message = needsQuoting(source)
        ? `${parserSays}: a value on this line holds characters YAML treats as syntax (": ", quotes, " #", braces); ${QUOTING_HINT}`
        : parserSays;
  }
  return { code: 'LAB_YAML_SYNTAX', file: 'lab.yaml', line, column: col, path: '', message };
}

/**
 * The errors worth showing: every duplicate key, and the first other syntax error (by position);
 * the rest usually follow from that one, so they are counted in its message, not listed.
 */
export function describeYamlErrors(errors: readonly YAMLError[], text: string, lines: LineCounter): LabIssue[] {
  const sorted = [...errors].sort((a, b) => a.pos[0] - b.pos[0]);
  const duplicates = sorted.filter((e) => e.code === 'DUPLICATE_KEY');
  const others = sorted.filter((e) => e.code !== 'DUPLICATE_KEY');
  const out = duplicates.map((e) => describeOne(e, text, lines));
  const first = others[0];
  if (first) {
    const issue = describeOne(first, text, lines);
    const more = others.length - 1;
    if (more > 0) issue.message += ` (${more} more syntax error${more === 1 ? '' : 's'} after it, most likely caused by this one, not shown)`;
    out.push(issue);
  }
  return out.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
}
