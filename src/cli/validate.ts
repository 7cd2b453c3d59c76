// `fhpa validate [-o json] [--raw] [-n NS] [--against KUBECONFIG] FILE...`: the admission webhook's checks,
// offline, for CI; with --against, also its one-autoscaler-per-target check against a live Karmada.

import { federatedHPASchema } from '../api/federatedhpa.ts';
import { type FieldError, toJsonError } from '../validation/field-error.ts';
import { readManifests } from '../validation/manifests.ts';
import { checkTarget, targetConflicts } from '../validation/one-per-target.ts';
import { validatedKindOf, validateObject } from '../validation/validate-object.ts';
import { argumentError, type Command, readInput } from './io.ts';

export const VALIDATE_USAGE = `Usage: fhpa validate [-o json] [--raw] [-n NAMESPACE] FILE...

Validate every FederatedHPA and CronFederatedHPA in FILE (YAML or JSON, several documents per file,
kind: List included; - reads standard input) with the rules of Karmada's admission webhooks, as the
Karmada API server would at apply time. Other kinds are skipped and said so.

  -o json          print one JSON array, an entry per validated object:
                   {kind, namespace, name, valid, errors: [{field, message}], warnings}
  --raw            validate the objects as written, without the defaults Karmada's mutating webhook
                   adds first (a behavior side without policies is then an error)
  -n NAMESPACE     namespace for objects without one (default "default", as kubectl would)
  --against FILE   also run the webhook's one-autoscaler-per-target check against the Karmada of this
                   kubeconfig (--context NAME to pick a context): a FederatedHPA whose target another one
                   (in Karmada or in FILE) already has is invalid; a missing target or PropagationPolicy is
                   a warning; when Karmada cannot be read the check is skipped with a warning

Exit status: 0 when all are valid, 1 when any is invalid, 2 when an input cannot be read or parsed.`;

interface Options {
  json: boolean;
  raw: boolean;
  namespace: string;
  files: string[];
  against?: string;
  context?: string;
}

function parseArgs(args: string[]): Options | string {
  const opts: Options = { json: false, raw: false, namespace: 'default', files: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const value = (): string | undefined => {
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq > 0) return a.slice(eq + 1);
      i++;
      return args[i];
    };
    if (a === '-o' || a === '--output' || a.startsWith('--output=')) {
      const v = value();
      if (v !== 'json') return `unsupported output ${JSON.stringify(v ?? '')}: only -o json`;
      opts.json = true;
    } else if (a === '-ojson') opts.json = true;
    else if (a === '--raw') opts.raw = true;
    else if (a === '-n' || a === '--namespace' || a.startsWith('--namespace=')) {
      const v = value();
      if (!v) return 'option -n needs a namespace';
      opts.namespace = v;
    } else if (a === '--against' || a.startsWith('--against=')) {
      const v = value();
      if (!v) return 'option --against needs a kubeconfig file';
      opts.against = v;
    } else if (a === '--context' || a.startsWith('--context=')) {
      const v = value();
      if (!v) return 'option --context needs a context name';
      opts.context = v;
    } else if (a.startsWith('-') && a !== '-') return `unknown option ${a}`;
    else opts.files.push(a);
  }
  if (opts.files.length === 0) return 'expected at least one FILE (or - for standard input)';
  if (opts.context && !opts.against) return 'option --context needs --against';
  return opts;
}

interface Entry {
  kind: string;
  namespace: string;
  name: string;
  valid: boolean;
  errors: { field: string; message: string }[];
  warnings: string[];
}

function metaOf(obj: unknown): { name: string; namespace: string | undefined } {
  const meta = (obj as { metadata?: { name?: unknown; namespace?: unknown } }).metadata;
  return {
    name: typeof meta?.name === 'string' ? meta.name : '',
    namespace: typeof meta?.namespace === 'string' ? meta.namespace : undefined,
  };
}

/** The namespace kubectl would send: the object's own, else the one given (a non-object is left alone). */
function withNamespace(obj: unknown, namespace: string): unknown {
  if (typeof obj !== 'object' || obj === null) return obj;
  const o = obj as { metadata?: unknown };
  const meta = typeof o.metadata === 'object' && o.metadata !== null ? o.metadata : {};
  if ('namespace' in meta) return obj;
  return { ...o, metadata: { ...meta, namespace } };
}

/**
 * The webhook's target check against the Karmada of a kubeconfig, also counting the FederatedHPAs of the
 * files read so far (two in one apply would both pass a check against the cluster alone).
 */
async function targetChecker(file: string, context: string | undefined) {
  const [{ connectionFromKubeconfig }, { createKarmadaAdapter }, { nodeTransport }] = await Promise.all([
    import('../karmada/kubeconfig.ts'),
    import('../karmada/adapter.ts'),
    import('../karmada/node-transport.ts'),
  ]);
  const karmada = createKarmadaAdapter({
    connection: await connectionFromKubeconfig(file, context),
    transport: nodeTransport(),
    timeoutMs: 5_000,
    retries: 2,
  });
  const seen: ReturnType<typeof federatedHPASchema.parse>[] = [];
  return async (obj: unknown): Promise<{ errors: FieldError[]; warnings: string[] }> => {
    const parsed = federatedHPASchema.safeParse(obj);
    if (!parsed.success) return { errors: [], warnings: [] };
    const fhpa = parsed.data;
    const checked = await checkTarget(karmada, fhpa, 10_000);
    const local = targetConflicts(
      fhpa,
      seen.filter((o) => o.metadata.namespace === fhpa.metadata.namespace),
    );
    seen.push(fhpa);
    return { errors: [...checked.errors, ...local], warnings: checked.warnings };
  };
}

export const validate: Command = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(VALIDATE_USAGE);
    return 0;
  }
  const opts = parseArgs(args);
  if (typeof opts === 'string') {
    return argumentError(io, 'validate', opts);
  }
  const now = Date.now();
  let against: Awaited<ReturnType<typeof targetChecker>> | undefined;
  try {
    against = opts.against ? await targetChecker(opts.against, opts.context) : undefined;
  } catch (e) {
    io.err(`fhpa validate: --against ${opts.against}: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  const entries: Entry[] = [];
  const lines: string[] = [];
  let unreadable = false;
  for (const file of opts.files) {
    const source = file === '-' ? 'standard input' : file;
    let text: string;
    try {
      text = await readInput(io, file);
    } catch (e) {
      io.err(`fhpa validate: cannot read ${source}: ${e instanceof Error ? e.message : String(e)}`);
      unreadable = true;
      continue;
    }
    const docs = readManifests(text);
    if (!docs.ok) {
      io.err(`fhpa validate: cannot parse ${source}: ${docs.message}`);
      unreadable = true;
      continue;
    }
    for (const raw of docs.objects) {
      const kind = validatedKindOf(raw);
      const { name, namespace } = metaOf(raw);
      const label = `${namespace ?? opts.namespace}/${name || '(no name)'}`;
      if (kind === undefined) {
        const k =
          typeof raw === 'object' && raw !== null && 'kind' in raw
            ? String(raw.kind)
            : 'a document without a kind';
        const note = `${k} ${label}: skipped (not a FederatedHPA or CronFederatedHPA)`;
        if (opts.json) io.err(note);
        else lines.push(note);
        continue;
      }
      const obj = withNamespace(raw, opts.namespace);
      const result = validateObject(kind, obj, { now, ...(opts.raw ? { raw: true } : {}) });
      if (against && kind === 'FederatedHPA' && result.errors.length === 0) {
        const checked = await against(obj);
        result.errors.push(...checked.errors);
        result.warnings.push(...checked.warnings);
      }
      const entry: Entry = {
        kind,
        namespace: metaOf(obj).namespace ?? '',
        name,
        valid: result.errors.length === 0,
        errors: result.errors.map(toJsonError),
        warnings: result.warnings,
      };
      entries.push(entry);
      lines.push(`${kind} ${label}: ${entry.valid ? 'valid' : 'invalid'}`);
      for (const e of entry.errors) lines.push(`  ${e.field}: ${e.message}`);
      for (const w of entry.warnings) lines.push(`  warning: ${w}`);
    }
  }
  if (opts.json) io.out(JSON.stringify(entries, null, 2));
  else if (lines.length > 0) io.out(lines.join('\n'));
  if (unreadable) return 2;
  // A file with nothing to validate is almost always the wrong file: CI must not pass on it (issue 19).
  if (entries.length === 0) {
    io.err('fhpa validate: no FederatedHPA or CronFederatedHPA found');
    return 1;
  }
  return entries.every((e) => e.valid) ? 0 : 1;
};
