/** Marks a row whose last write the server refused. */
export function RejectedBadge({ docId, message }: { docId: string; message: string }) {
  return (
    <span className="badge badge-rejected" data-testid={`rejected-${docId}`}>
      Rejected by server: {message}
    </span>
  );
}
