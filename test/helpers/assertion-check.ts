// Finds tests that can pass without checking anything: a test(...) / it(...) body that reaches no assertion
// (an `assert` reference, `t.plan`, or a call of a function of its file or of a test helper that asserts), and a
// body that may `return;` before its checks. Run by scripts/test.mjs over every test file before the tests.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

export interface Unasserted {
  file: string;
  line: number;
  name: string;
  why: string;
}

const TEST_CALLS = new Set(['test', 'it']);

/** Names of the functions a module declares whose bodies assert (directly or through each other). */
function assertingNames(sf: ts.SourceFile, imported: Set<string>): Set<string> {
  const bodies = new Map<string, ts.Node>();
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionDeclaration(n) && n.name && n.body) bodies.set(n.name.text, n.body);
    else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer))) bodies.set(n.name.text, n.initializer.body);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const out = new Set(imported);
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, body] of bodies) if (!out.has(name) && reachesAssert(body, out)) { out.add(name); changed = true; }
  }
  return out;
}

/** Whether a node refers to `assert` (node:assert, fast-check's fc.assert, t.assert), calls t.plan, or calls one of `asserting`. */
function reachesAssert(node: ts.Node, asserting: Set<string>): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && (n.text === 'assert' || n.text === 'plan' || asserting.has(n.text))) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** `t.skip(reason); return;`: a test that says why it skips. */
function afterSkip(ret: ts.ReturnStatement): boolean {
  const block = ret.parent;
  if (!ts.isBlock(block)) return false;
  const prev = block.statements[block.statements.indexOf(ret) - 1];
  return !!prev && ts.isExpressionStatement(prev) && ts.isCallExpression(prev.expression) && ts.isPropertyAccessExpression(prev.expression.expression) && prev.expression.expression.name.text === 'skip' && prev.expression.arguments.length > 0;
}

/** A bare `return;` among the body's own statements (not inside a nested function): the test may end unchecked. */
function bareReturn(body: ts.Node): ts.ReturnStatement | null {
  let hit: ts.ReturnStatement | null = null;
  const visit = (n: ts.Node): void => {
    if (hit || ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) && !n.expression && !afterSkip(n)) { hit = n; return; }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return hit;
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

/** Names imported from relative modules (test helpers) whose declarations of them assert. */
function importedAsserting(sf: ts.SourceFile, file: string, seen: Map<string, Set<string>>): Set<string> {
  const out = new Set<string>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const spec = st.moduleSpecifier.text;
    if (!spec.startsWith('.')) continue;
    const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
    if (!existsSync(target) || target.includes('/cli/')) continue;
    const names = moduleAsserting(target, seen);
    const bindings = st.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const el of bindings.elements) if (names.has((el.propertyName ?? el.name).text)) out.add(el.name.text);
    }
  }
  return out;
}

function moduleAsserting(file: string, seen: Map<string, Set<string>>): Set<string> {
  const known = seen.get(file);
  if (known) return known;
  seen.set(file, new Set()); // cycles: a module being read asserts nothing yet
  const sf = parse(file);
  const names = assertingNames(sf, importedAsserting(sf, file, seen));
  seen.set(file, names);
  return names;
}

/** The tests of `file` that reach no assertion or may return before checking. */
export function unassertedTests(file: string, seen = new Map<string, Set<string>>()): Unasserted[] {
  const sf = parse(file);
  const asserting = assertingNames(sf, importedAsserting(sf, file, seen));
  const out: Unasserted[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && TEST_CALLS.has(n.expression.text)) {
      const body = [...n.arguments].reverse().find((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a)) as ts.ArrowFunction | ts.FunctionExpression | undefined;
      const nameArg = n.arguments[0];
      const name = nameArg && (ts.isStringLiteral(nameArg) || ts.isNoSubstitutionTemplateLiteral(nameArg)) ? nameArg.text : nameArg ? nameArg.getText(sf) : '?';
      const at = (node: ts.Node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
      if (body) {
        if (!reachesAssert(body.body, asserting)) out.push({ file, line: at(n), name, why: 'no assertion' });
        const ret = bareReturn(body.body);
        if (ret) out.push({ file, line: at(ret), name, why: 'returns before checking (skip with a reason instead)' });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}
