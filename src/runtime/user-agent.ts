// The User-Agent each component sends, in client-go's form (rest.DefaultKubernetesUserAgent):
// `<component>/<version> (<os>/<arch>) <project>/<commit>`, so the API server can tell who asks.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** the Karmada release whose APIs and behaviour karmada-ts follows */
const karmadaVersion = 'v1.19.0';

/** Go's GOARCH names for Node's process.arch */
const goArch: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };

let projectVersion: string | undefined;

function ourVersion(): string {
  if (projectVersion === undefined) {
    try {
      // src/runtime and dist/runtime both sit two levels below package.json
      const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json');
      projectVersion = (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version ?? '0.0.0';
    } catch {
      projectVersion = '0.0.0';
    }
  }
  return projectVersion;
}

/** e.g. `karmada-controller-manager/v1.19.0 (linux/amd64) karmada-ts/0.1.0` */
export function userAgent(component: string, platform: string = process.platform, arch: string = process.arch): string {
  return `${component}/${karmadaVersion} (${platform}/${goArch[arch] ?? arch}) karmada-ts/${ourVersion()}`;
}
