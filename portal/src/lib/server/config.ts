import { BACKEND_URL, N8N_EDITOR_URL } from '$app/env/private';

/** The portal's server-side settings; the only module that reads the environment. */
export const config = {
  backendUrl: BACKEND_URL,
  /** Well above the backend's own readiness probe timeout (2 s), so a slow dependency is reported, not cut off. */
  backendTimeoutMs: 5000,
  /** Linked from the agency page; unset hides the link. */
  n8nEditorUrl: N8N_EDITOR_URL,
} as const;
