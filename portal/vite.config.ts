/// <reference types="vitest/config" />
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [
    sveltekit({
      adapter: adapter({ out: 'build' }),
      paths: {
        // adapter-node 6 no longer reads ORIGIN at run time. Without it the origin comes from the
        // Host header and defaults to https (right behind Caddy); a build for plain-HTTP use
        // (native `make dev`) can pin it with ORIGIN=http://localhost:3000 npm run build.
        origin: process.env.ORIGIN || undefined,
      },
      csp: {
        // Nonces for SvelteKit's own inline script; nothing is loaded from another origin.
        mode: 'auto',
        directives: {
          'default-src': ['self'],
          'script-src': ['self'],
          'style-src': ['self'],
          // SvelteKit's route announcer (read out after client-side navigation) hides itself with a
          // style attribute; style elements stay restricted to our own files.
          'style-src-attr': ['unsafe-inline'],
          'img-src': ['self', 'data:'],
          'font-src': ['self'],
          'connect-src': ['self'],
          'form-action': ['self'],
          'base-uri': ['self'],
          'object-src': ['none'],
          'frame-ancestors': ['none'],
        },
      },
    }),
  ],
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
