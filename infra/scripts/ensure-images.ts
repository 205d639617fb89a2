// Builds the lab images under infra/images whose content tag is missing, printing each step.
import { createDockerClient, ensureImages } from '@praxis/sandbox';

const docker = createDockerClient({ host: process.env.DOCKER_HOST });
const started = Date.now();
const tags = await ensureImages(docker, {
  baseImage: process.env.PRAXIS_BASE_IMAGE,
  onProgress: (p) => {
    const secs = ((Date.now() - started) / 1000).toFixed(0).padStart(3);
    if (p.kind === 'step') console.log(`    [${secs}s] ${p.image}: ${p.message.slice(0, 110)}`);
    else console.log(`    ${p.message}`);
  },
});
if (Object.keys(tags).length === 0) {
  console.error('no images found under infra/images');
  process.exit(1);
}
