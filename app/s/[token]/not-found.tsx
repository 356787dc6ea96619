// A shared link that no longer works, as a stranger who followed it sees it: no library, no
// workspace, just what happened and what to do.
export default function SharedVideoNotFound() {
  return (
    <main className="mx-auto max-w-md px-6 py-24 text-center" data-testid="shared-not-found">
      <h1 className="mb-2 text-2xl font-bold">This video is not available</h1>
      <p className="mb-2 text-slate-600">The link may have been turned off by the person who shared it, or it has expired.</p>
      <p className="text-slate-600">Ask them for a new link.</p>
    </main>
  );
}
