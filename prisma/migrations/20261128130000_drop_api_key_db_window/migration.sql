-- The per-key rate-limit window moved to Redis (or memory): rate-limit/fixed-window.ts.
ALTER TABLE "ApiKey" DROP COLUMN "windowStart",
DROP COLUMN "windowCount";
