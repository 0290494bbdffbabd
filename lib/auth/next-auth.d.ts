import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    user?: { id?: string; email?: string | null; name?: string | null };
    /** The user's session version when this session began (lib/auth/session-policy.ts). */
    sessionVersion?: number;
  }
  interface User {
    sessionVersion?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    /** Session version at sign-in; the session ends when the user's version moves on. */
    sv?: number;
    /** Sign-in time (ms): the absolute lifetime counts from here. */
    authAt?: number;
    /** Last reported activity (ms): the idle timeout counts from here. */
    activeAt?: number;
  }
}
