import { Strategy as GoogleStrategy, type Profile } from 'passport-google-oauth20';
import type { GoogleOAuthConfig } from '../../config.js';
import type { GoogleProfile } from './link-google-identity.js';
import type { RedisOAuthStateStore } from './oauth-state-store.js';

/**
 * The real passport-google-oauth20 strategy (authorization code + PKCE). Its verify step only hands the
 * Google profile on; deciding who that is happens in linkGoogleIdentity.
 */
export function createGoogleStrategy(config: GoogleOAuthConfig, publicUrl: string, stateStore: RedisOAuthStateStore): GoogleStrategy {
  return new GoogleStrategy(
    {
      clientID: config.clientId,
      clientSecret: config.clientSecret,
      callbackURL: `${publicUrl}/api/v1/auth/google/callback`,
      authorizationURL: config.authorizationUrl,
      tokenURL: config.tokenUrl,
      userProfileURL: config.userInfoUrl,
      scope: ['openid', 'email', 'profile'],
      pkce: true,
      state: true,
      store: stateStore as never,
    },
    (_accessToken: string, _refreshToken: string, profile: Profile, done: (err: Error | null, user?: GoogleProfile) => void) => {
      done(null, toGoogleProfile(profile));
    },
  );
}

function toGoogleProfile(profile: Profile): GoogleProfile {
  const email = profile.emails?.[0];
  // Google's userinfo sends email_verified as a boolean (older endpoints: the string "true").
  const verified = (email as { verified?: unknown } | undefined)?.verified;
  return { subject: profile.id, email: email?.value, emailVerified: verified === true || verified === 'true' };
}
