import { z } from "zod";
import { isStorableText, UNSTORABLE_TEXT } from "@/lib/validation/text";

export const ZEmail = z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address").max(254));
export const ZPassword = z
  .string()
  .min(12, "Use at least 12 characters")
  .max(256, "Use at most 256 characters")
  .refine(isStorableText, `The password ${UNSTORABLE_TEXT}`);
export const ZRole = z.enum(["admin", "viewer"]);
export type TRole = z.infer<typeof ZRole>;

export const ZOneTimeToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "This link is not complete. Open the whole link you were given.");

export const ZSetupInput = z.object({
  /** The one-time token from the link the server printed at start. */
  token: ZOneTimeToken,
  orgName: z.string().trim().min(1, "Enter your organization's name").max(100).refine(isStorableText, `The name ${UNSTORABLE_TEXT}`),
  name: z.string().trim().max(100).refine(isStorableText, `The name ${UNSTORABLE_TEXT}`).optional(),
  email: ZEmail,
  password: ZPassword,
});
export type TSetupInput = z.infer<typeof ZSetupInput>;

export const ZSignInInput = z.object({ email: ZEmail, password: z.string().min(1).max(256) });

const ZUuid = z.uuid("Not a valid id");

export const ZInviteInput = z.object({ email: ZEmail, role: ZRole });
export type TInviteInput = z.infer<typeof ZInviteInput>;

export const ZAcceptInviteInput = z
  .object({
    token: ZOneTimeToken,
    name: z.string().trim().max(100).refine(isStorableText, `The name ${UNSTORABLE_TEXT}`).optional(),
    password: ZPassword,
    confirmPassword: z.string().max(256),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "The two passwords differ" });
export type TAcceptInviteInput = z.infer<typeof ZAcceptInviteInput>;

export const ZChangeRoleInput = z.object({ userId: ZUuid, role: ZRole });
export const ZMemberRefInput = z.object({ userId: ZUuid });
export const ZInviteRefInput = z.object({ inviteId: ZUuid });

export const ZChangePasswordInput = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password").max(256).refine(isStorableText, `The password ${UNSTORABLE_TEXT}`),
    newPassword: ZPassword,
    confirmPassword: z.string().max(256),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "The two new passwords differ" });
export type TChangePasswordInput = z.infer<typeof ZChangePasswordInput>;
