-- AlterTable
ALTER TABLE "tests" ADD COLUMN     "open" BOOLEAN NOT NULL DEFAULT false;

