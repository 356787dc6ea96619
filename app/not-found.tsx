import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-md px-6 py-24 text-center">
      <h1 className="mb-2 text-2xl font-bold">Not found</h1>
      <p className="mb-6 text-slate-600">There is nothing here, or it belongs to another workspace.</p>
      <Link href="/videos" className="font-medium text-sky-700 hover:underline">
        Back to the library
      </Link>
    </main>
  );
}
