import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { ROOT } from './worker-process';

const DIR = join(ROOT, 'test', 'fixtures', 'stix2-json-schemas', 'schemas');
const BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';

function schemaFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory() ? schemaFiles(join(dir, name)) : name.endsWith('.json') ? [join(dir, name)] : [],
  );
}

/** The OASIS STIX 2.1 schemas, compiled once with ajv (draft 2020-12, with formats). */
export function stixValidators() {
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false }); // the schemas escape '-' in patterns, which unicode mode refuses;
  addFormats(ajv);
  for (const file of schemaFiles(DIR)) ajv.addSchema(JSON.parse(readFileSync(file, 'utf8')));
  const compiled = new Map<string, ValidateFunction>();
  const validator = (path: string) => {
    let v = compiled.get(path);
    if (!v) {
      v = ajv.getSchema(`${BASE}${path}`);
      if (!v) throw new Error(`no STIX schema ${path}`);
      compiled.set(path, v);
    }
    return v;
  };
  const SDO: Record<string, string> = {
    indicator: 'sdos/indicator.json',
    identity: 'sdos/identity.json',
    grouping: 'sdos/grouping.json',
    relationship: 'sros/relationship.json',
    // The file's signature: a custom object, shaped as the schema's custom observables are.
    'x-flagline-file-signature': 'common/cyber-observable-core.json',
  };
  /** The schema errors of one object (by its type) or a bundle, as readable lines; empty when valid. */
  const errorsOf = (value: { type?: unknown }): string[] => {
    const path = value.type === 'bundle' ? 'common/bundle.json' : SDO[String(value.type)];
    if (!path) return [`no schema chosen for type ${String(value.type)}`];
    const validate = validator(path);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
  };
  return { errorsOf };
}
