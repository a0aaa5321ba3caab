// npm run package: the .vsix, unattended. Bundles for production, writes the packaged README from
// EXTENSION.md (the user's README), and runs vsce with no question to answer.
//
// Screenshots: VS Code's extension page loads images only from http(s) addresses (a relative
// path, even to a file packed in the .vsix, is dropped by its sanitizer). With XEN_IMAGES_BASE_URL
// set to where docs/images/ is published (the project's public home), each screenshot points there;
// without it, each becomes its caption in words, and no image is packed that the page cannot show.
// Usage: [XEN_IMAGES_BASE_URL=https://…] node scripts/package.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const base = (process.env.XEN_IMAGES_BASE_URL ?? '').replace(/\/$/, '');
if (base && !/^https?:\/\/[^\s]+$/.test(base)) {
  console.error(`XEN_IMAGES_BASE_URL must be an http(s) address, not ${JSON.stringify(base)}`);
  process.exit(2);
}
execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { stdio: 'inherit' });

let images = 0;
const readme = readFileSync('EXTENSION.md', 'utf8').replace(/!\[([^\]\n]*)\]\(([^)\s]+)\)/g, (_, alt, path) => {
  images++;
  return base ? `![${alt}](${base}/${path})` : `*Screenshot: ${alt}.*`;
});
mkdirSync('out/package', { recursive: true });
writeFileSync('out/package/README.md', readme);
console.log(
  base
    ? `package: ${images} screenshots point at ${base}/docs/images/`
    : `package: ${images} screenshots written as captions (set XEN_IMAGES_BASE_URL to show them)`,
);

execFileSync(
  'npx',
  [
    '--no-install',
    'vsce',
    'package',
    '--no-dependencies',
    '--no-rewrite-relative-links',
    '--allow-missing-repository',
    '--readme-path',
    'out/package/README.md',
    '-o',
    'xen-network.vsix',
  ],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
