// Container image references split the way Karmada's imageparser does: distribution's reference
// grammar decides validity, then the first path component is the registry only when it looks like
// a host (has "." or ":" or is "localhost"), so "library/nginx" has no registry.
// One deliberate difference: Karmada keeps only the tag of `repo:tag@digest` and so drops the pin;
// here both are kept and written back.

/** `[registry/]repository[:tag][@digest]` */
export interface ImageComponents {
  registry: string;
  repository: string;
  tag: string;
  digest: string;
}

const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainAndPort = `(?:${domainName}|${ipv6})(?::[0-9]+)?`;
const namePattern = `(?:${domainAndPort}/)?${pathComponent}(?:/${pathComponent})*`;
const tagPattern = '[\\w][\\w.-]{0,127}';
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const referenceRegexp = new RegExp(`^(${namePattern})(?::(${tagPattern}))?(?:@(${digestPattern}))?$`);
const anchoredTag = new RegExp(`^${tagPattern}$`);
const anchoredDigest = new RegExp(`^${digestPattern}$`);

const digestHexLength: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
const nameTotalLengthMax = 255;

export function isTag(s: string): boolean {
  return anchoredTag.test(s);
}

export function isDigest(s: string): boolean {
  return anchoredDigest.test(s);
}

/** Parses an image reference; throws Error with distribution's message when it is not one. */
export function parseImage(image: string): ImageComponents {
  const m = referenceRegexp.exec(image);
  if (!m) {
    if (image === '') throw new Error('repository name must have at least one component');
    if (referenceRegexp.test(image.toLowerCase())) throw new Error('repository name must be lowercase');
    throw new Error('invalid reference format');
  }
  const [, name, tag = '', digest = ''] = m;
  if (name.length > nameTotalLengthMax) throw new Error(`repository name must not be more than ${nameTotalLengthMax} characters`);
  if (digest) {
    const [algorithm, hex] = digest.split(':');
    const want = digestHexLength[algorithm];
    if (want === undefined) throw new Error('unsupported digest algorithm');
    if (hex.length !== want) throw new Error('invalid checksum digest length');
  }
  const [registry, repository] = splitRegistry(name);
  return { registry, repository, tag, digest };
}

/** "registry.k8s.io/pause" → ["registry.k8s.io", "pause"]; "library/nginx" → ["", "library/nginx"]. */
function splitRegistry(name: string): [string, string] {
  const i = name.indexOf('/');
  if (i < 0) return ['', name];
  const first = name.slice(0, i);
  if (!/[.:]/.test(first) && first !== 'localhost') return ['', name];
  return [first, name.slice(i + 1)];
}

export function formatImage(c: ImageComponents): string {
  let s = c.registry ? `${c.registry}/${c.repository}` : c.repository;
  if (c.tag) s += `:${c.tag}`;
  if (c.digest) s += `@${c.digest}`;
  return s;
}

/**
 * Karmada's SetTagOrDigest: a valid tag replaces tag and digest, a valid digest replaces both too,
 * anything else changes nothing.
 */
export function setTagOrDigest(c: ImageComponents, input: string): ImageComponents {
  if (isTag(input)) return { ...c, tag: input, digest: '' };
  if (isDigest(input)) return { ...c, tag: '', digest: input };
  return c;
}

/** Karmada's RemoveTagOrDigest: the tag if there is one, else the digest. */
export function removeTagOrDigest(c: ImageComponents): ImageComponents {
  if (c.tag) return { ...c, tag: '' };
  return { ...c, digest: '' };
}
