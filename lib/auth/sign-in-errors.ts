// Client-safe: the error next-auth hands back to the login form when an
// email is throttled (lib/auth/sign-in-throttle.ts).
export const SIGN_IN_THROTTLED = "sign_in_throttled";
