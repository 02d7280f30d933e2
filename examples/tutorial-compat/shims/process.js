// stream-chat-react 1.2's markdown (vfile) reads Node's process, which the
// tutorial's build (CRA 3, webpack 4) filled in; esbuild injects this.
import process from 'process/browser.js';

export { process };
