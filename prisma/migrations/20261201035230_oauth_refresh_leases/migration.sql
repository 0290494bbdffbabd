-- CreateTable
CREATE TABLE "oauth_refresh_leases" (
    "uuid" UUID NOT NULL,
    "holder" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "oauth_refresh_leases_pkey" PRIMARY KEY ("uuid")
);

-- AddForeignKey
ALTER TABLE "oauth_refresh_leases" ADD CONSTRAINT "oauth_refresh_leases_uuid_fkey" FOREIGN KEY ("uuid") REFERENCES "settings"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;
