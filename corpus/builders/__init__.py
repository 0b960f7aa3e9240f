"""Byte builders for corpus/generate: code-signature blobs, requirement programs, DER
entitlements and Mach-O files, written from the formats' specifications (xnu cs_blobs.h,
Security requirement.h, mach-o/loader.h), plus a reader that pulls signatures out of
existing Mach-O files."""
