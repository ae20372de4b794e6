/**
 * Strict checks of JSON values against @vapi-ai/server-sdk's own types (Fern generates them from Vapi's
 * OpenAPI document; 2.0.1 ships no runtime serialization schemas). Each value becomes an object literal
 * assigned to its SDK type in a virtual module that the TypeScript compiler checks: missing required
 * fields, wrong types, enum values outside the spec, nulls where the spec has none, and any property the
 * spec does not declare (excess property checks, nested objects included) are reported.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export interface TypedValue { label: string; type: string; value: unknown }
export interface TypeProblem { label: string; message: string }

const here = path.dirname(fileURLToPath(import.meta.url));
const virtualFile = path.join(here, '__vapi_contract__.mts');

export function checkAgainstSdkTypes(values: TypedValue[]): TypeProblem[] {
  const lines = ["import type { Vapi } from '@vapi-ai/server-sdk';"];
  const labelAt: string[] = [];
  values.forEach((v, i) => {
    labelAt[lines.length] = v.label;
    lines.push(`export const v${i}: ${v.type} = ${JSON.stringify(v.value)};`);
  });
  const source = lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true, noEmit: true, skipLibCheck: true, types: [],
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (f, lang, ...rest) => (f === virtualFile ? ts.createSourceFile(f, source, lang) : getSourceFile(f, lang, ...rest));
  host.fileExists = (f) => f === virtualFile || fileExists(f);
  const program = ts.createProgram([virtualFile], options, host);
  const file = program.getSourceFile(virtualFile);
  return ts.getPreEmitDiagnostics(program, file).map((d) => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
    return { label: labelAt[line] ?? '(module)', message: ts.flattenDiagnosticMessageText(d.messageText, ' ') };
  });
}
