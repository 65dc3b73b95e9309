import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Where code may run (STYLE.md, after VS Code's common/node/browser layers): main/ never reaches
// into the renderer; the renderer reaches into main/ only for the contract's types and for code
// that tsconfig.isomorphic.json proves runs without Node or the DOM.
const root = resolve(import.meta.dirname, '../../..');
const isoConfig = join(root, 'tsconfig.isomorphic.json');

function filesUnder(dir: string, ends: readonly string[]): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => ends.some((e) => f.endsWith(e)))
    .map((f) => join(root, dir, f));
}

interface ImportSite {
  readonly file: string;
  readonly spec: string;
  /** `import type …` / `export type … from`: erased at build time. */
  readonly typeOnly: boolean;
}

/** The TypeScript of a .ts file, or of a .svelte file's <script> blocks. */
function scriptOf(file: string): string {
  const text = readFileSync(file, 'utf8');
  if (!file.endsWith('.svelte')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

function importsOf(file: string): ImportSite[] {
  const source = ts.createSourceFile(file, scriptOf(file), ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const sites: ImportSite[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const allTypes = !!clause && (clause.isTypeOnly || (!clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      sites.push({ file, spec: node.moduleSpecifier.text, typeOnly: allTypes });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      sites.push({ file, spec: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      sites.push({ file, spec: node.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

function target(site: ImportSite): string {
  return site.spec.startsWith('.') ? resolve(dirname(site.file), site.spec.replace(/\.js$/, '.ts')) : site.spec;
}

const rel = (f: string) => relative(root, f);

function isomorphicProgram(rootNames?: readonly string[]): ts.Program {
  const parsed = ts.getParsedCommandLineOfConfigFile(isoConfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  if (!parsed) throw new Error('tsconfig.isomorphic.json does not parse');
  return ts.createProgram({ rootNames: rootNames ?? parsed.fileNames, options: parsed.options });
}

function messages(program: ts.Program): string[] {
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? rel(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

describe('process boundaries', () => {
  let program: ts.Program;
  let isomorphic: Set<string>;

  beforeAll(() => {
    program = isomorphicProgram();
    isomorphic = new Set(program.getSourceFiles().map((f) => resolve(f.fileName)).filter((f) => !f.includes('/node_modules/')));
  }, 120_000);

  it('the isomorphic code type-checks with ES2022 and the shared web platform, and nothing of Node or the DOM is in the program', () => {
    expect(messages(program)).toEqual([]);
    const leaked = program.getSourceFiles().map((f) => f.fileName).filter((f) => f.includes('/@types/node/') || /\/lib\.(dom|webworker)/.test(f));
    expect(leaked).toEqual([]);
    for (const claimed of ['main/common/hex.ts', 'main/ledger/verify/verify-day.ts', 'main/meter/protocols/create-decoder.ts', 'main/history/calendar.ts', 'main/api/client.ts']) {
      expect(isomorphic.has(join(root, claimed)), claimed).toBe(true);
    }
  });

  describe('the isomorphic guard', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'wattlet-iso-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('refuses Node and DOM globals, and accepts the web platform both processes share', () => {
      const node = join(dir, 'uses-node.ts');
      writeFileSync(node, "export const a = Buffer.from('00', 'hex');\nexport const b = process.env.HOME;\n");
      const dom = join(dir, 'uses-dom.ts');
      writeFileSync(dom, "export const c = document.title;\nexport const d = window.location.href;\n");
      const shared = join(dir, 'uses-shared.ts');
      writeFileSync(shared, "export const e = new TextEncoder().encode('x');\nexport const f = new URL('https://example.org').host;\nexport const g = crypto.getRandomValues(new Uint8Array(4));\n");
      const platform = join(root, 'types/isomorphic/web-platform.d.ts');
      const found = messages(isomorphicProgram([platform, node, dom, shared]));
      for (const name of ['Buffer', 'process', 'document', 'window']) expect(found.some((m) => m.includes(`'${name}'`)), name).toBe(true);
      expect(found.filter((m) => m.startsWith(rel(shared)))).toEqual([]);
    });
  });

  it('no file in main/ imports the renderer', () => {
    const reaching = filesUnder('main', ['.ts'])
      .flatMap(importsOf)
      .filter((s) => target(s).startsWith(join(root, 'renderer') + '/'))
      .map((s) => `${rel(s.file)} → ${s.spec}`);
    expect(reaching).toEqual([]);
  });

  it('the renderer imports of main/ only the contract’s types and isomorphic code', () => {
    // The specs beside the stores are tests (they build the real main process to test against).
    const shipped = filesUnder('renderer', ['.ts', '.svelte']).filter((f) => !f.endsWith('.spec.ts'));
    const sites = shipped.flatMap(importsOf).filter((s) => target(s).startsWith(join(root, 'main') + '/'));
    expect(sites.length).toBeGreaterThan(10);
    const outside = sites
      .filter((s) => !(s.typeOnly && target(s).startsWith(join(root, 'main/api') + '/')) && !isomorphic.has(target(s)))
      .map((s) => `${rel(s.file)} → ${s.spec}${s.typeOnly ? ' (types)' : ''}`);
    expect(outside).toEqual([]);
  });
});
