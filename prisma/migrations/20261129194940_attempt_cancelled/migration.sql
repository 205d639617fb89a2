-- AlterEnum
ALTER TYPE "AttemptStatus" ADD VALUE 'cancelled';

