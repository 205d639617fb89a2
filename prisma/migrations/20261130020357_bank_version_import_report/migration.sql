-- AlterTable
ALTER TABLE "bank_versions" ADD COLUMN     "import_report" JSONB;

