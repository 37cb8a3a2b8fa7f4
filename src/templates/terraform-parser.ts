/**
 * The Terraform grammar for web-tree-sitter, loaded once at import (top-level await), so the
 * engine itself stays synchronous. The wasm ships inside @tree-sitter-grammars/tree-sitter-hcl.
 */
import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
const wasm = require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm');

await Parser.init();
const terraform = await Language.load(wasm);

/** A parser for Terraform HCL (one per call: parsers hold state). */
export function terraformParser(): Parser {
  const p = new Parser();
  p.setLanguage(terraform);
  return p;
}
