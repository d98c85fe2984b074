import { defineEnvVars } from '@sveltejs/kit/env';

// Server-only variables, validated when the server starts. PORT, HOST and the proxy headers
// are read by adapter-node itself (see vite.config.ts for ORIGIN).
export const variables = defineEnvVars({
  BACKEND_URL: {
    description: 'Internal URL of the Switchboard API, e.g. http://backend:4000',
    schema: (value) => {
      const url = value?.trim() || 'http://127.0.0.1:4000';
      if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
        throw new Error(`BACKEND_URL must be an http(s) URL, got "${url}"`);
      }
      return url.replace(/\/+$/, '');
    },
  },
  CLIENT_ADDRESS_SECRET: {
    description: 'Shared with the API only (the same value as its CLIENT_ADDRESS_SECRET): signs each visitor\'s address, so sign-in limits count visitors, not the portal',
    // Checked when the server starts (hooks.server.ts init), not here: the build has no runtime secrets.
    schema: (value) => value?.trim() || undefined,
  },
  N8N_EDITOR_URL: {
    description: 'Public URL of the n8n editor, linked from the agency page, e.g. https://n8n.example.com (optional)',
    schema: (value) => {
      const url = value?.trim();
      if (!url) return undefined;
      if (!URL.canParse(url)) throw new Error(`N8N_EDITOR_URL must be a URL, got "${url}"`);
      return url;
    },
  },
});
