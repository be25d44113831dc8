/** Image names as containerd reports them (normalised reference and a digest-pinned imageID). */
import { createHash } from 'node:crypto';

export function normaliseImage(image: string): string {
  let ref = image.includes(':') && !image.slice(image.lastIndexOf('/')).includes(':') ? image : image.includes('@') ? image : image.includes(':') ? image : `${image}:latest`;
  const first = ref.split('/')[0]!;
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) ref = ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`;
  return ref;
}

export function imageId(image: string): string {
  const ref = normaliseImage(image);
  const repo = ref.replace(/[:@][^/]*$/, '');
  return `${repo}@sha256:${createHash('sha256').update(ref).digest('hex')}`;
}

/** A believable compressed image size, stable per image. */
export function imageSize(image: string): number {
  const h = createHash('sha256').update(image).digest();
  return 5_000_000 + (h.readUInt32BE(0) % 150_000_000);
}

export const newContainerId = (): string => `containerd://${createHash('sha256').update(String(Math.random()) + process.hrtime.bigint()).digest('hex')}`;
