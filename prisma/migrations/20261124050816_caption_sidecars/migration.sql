-- AlterEnum
ALTER TYPE "AssetKind" ADD VALUE 'captions';
