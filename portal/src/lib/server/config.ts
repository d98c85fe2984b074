import { BACKEND_URL, CLIENT_ADDRESS_SECRET, N8N_EDITOR_URL } from '$app/env/private';

/** The portal's server-side settings; the only module that reads the environment. */
export const config = {
  backendUrl: BACKEND_URL,
  /** Well above the backend's own readiness probe timeout (2 s), so a slow dependency is reported, not cut off. */
  backendTimeoutMs: 5000,
  /** Signs the visitor's address on calls to the API (lib/server/client-address.ts). */
  clientAddressSecret: CLIENT_ADDRESS_SECRET ?? '',
  /** Linked from the agency page; unset hides the link. */
  n8nEditorUrl: N8N_EDITOR_URL,
} as const;
