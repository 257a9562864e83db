// The few Node APIs the example uses, declared here so the type check needs
// no @types/node download.
declare module 'node:fs' {
  export function readFileSync(path: string, encoding: 'utf8'): string;
}
declare module 'node:path' {
  export function join(...parts: string[]): string;
}
declare const process: { argv: string[] };
declare const console: { log(...values: unknown[]): void };
declare function structuredClone<T>(value: T): T;
