/**
 * Backend state: settings a pipeline gives a backend with `set_state` (the product whose
 * tables KQL reads, how Splunk routes). Each backend declares the keys it reads and their
 * values (`Backend.state`; the built-in ones in kql/contract.ts and splunk/contract.ts).
 * Pipeline files are checked against the declarations when they load (C017) and backends
 * read typed values, so a misspelt key or value is an error instead of a silent default.
 */
import { closest } from '../util/text.js';
import { KQL_STATE } from './kql/contract.js';
import { SPLUNK_STATE } from './splunk/contract.js';

/** One state key: the values it admits, or any string. */
type StateKey =
  | { readonly values: readonly string[]; readonly description: string }
  | { readonly type: 'string'; readonly description: string };

/** The state keys a backend reads. */
export type StateSchema = Readonly<Record<string, StateKey>>;

/** The values a schema admits, each optional (a pipeline sets some; a later one may override). */
type StateOf<S extends StateSchema> = {
  -readonly [K in keyof S]?: S[K] extends { readonly values: readonly (infer V)[] } ? V : string;
};

/** The state pipelines may set for the built-in backends. */
export type BackendState = StateOf<typeof KQL_STATE> & StateOf<typeof SPLUNK_STATE>;

const declared = new Map<string, StateKey>();

/** Declares a backend's state keys (registerBackend calls this); a key means one thing for all backends. */
export function declareBackendState(schema: StateSchema): void {
  for (const [key, spec] of Object.entries(schema)) {
    const known = declared.get(key);
    if (known !== undefined && known !== spec) throw new Error(`backend state key '${key}' is declared twice`);
    declared.set(key, spec);
  }
}

declareBackendState(KQL_STATE);
declareBackendState(SPLUNK_STATE);

/** A problem with one entry of a `set_state` map. */
export interface StateProblem {
  key: string;
  /** Whether the key itself is unknown (else its value is not allowed). */
  unknownKey: boolean;
  message: string;
}

/** What is wrong with a `set_state` map: keys no backend declares, values a key does not admit. */
export function stateProblems(state: Readonly<Record<string, unknown>>): StateProblem[] {
  const problems: StateProblem[] = [];
  for (const [key, value] of Object.entries(state)) {
    const spec = declared.get(key);
    if (spec === undefined) {
      const known = [...declared.keys()];
      const guess = closest(key, known, Math.max(2, Math.floor(key.length / 3)));
      problems.push({
        key,
        unknownKey: true,
        message: `unknown backend state key '${key}'${guess ? ` (did you mean '${guess}'?)` : ''}; known: ${known.join(', ')}`,
      });
    } else if ('values' in spec ? !spec.values.includes(value as string) : typeof value !== 'string') {
      const guess =
        'values' in spec && typeof value === 'string'
          ? closest(value, spec.values, Math.max(2, Math.floor(value.length / 3)))
          : undefined;
      const allowed = 'values' in spec ? `one of ${spec.values.join(', ')}` : 'a string';
      problems.push({
        key,
        unknownKey: false,
        message: `backend state '${key}' must be ${allowed}, not ${JSON.stringify(value)}${guess ? ` (did you mean '${guess}'?)` : ''}`,
      });
    }
  }
  return problems;
}
