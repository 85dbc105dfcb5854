-- CreateTable
CREATE TABLE "RoomMember" (
    "roomId" UUID NOT NULL,
    "identity" TEXT NOT NULL,
    "role" TEXT,
    "admittedAt" TIMESTAMP(3),
    "removedAt" TIMESTAMP(3),
    "removedMeetingId" UUID,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoomMember_pkey" PRIMARY KEY ("roomId","identity")
);

-- AddForeignKey
ALTER TABLE "RoomMember" ADD CONSTRAINT "RoomMember_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;
