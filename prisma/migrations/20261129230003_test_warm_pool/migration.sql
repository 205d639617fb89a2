-- AlterTable
ALTER TABLE "tests" ADD COLUMN     "warm_pool" INTEGER;

