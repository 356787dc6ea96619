import { AdminJobs } from "./admin-jobs";

export default function AdminJobsPage() {
  return <AdminJobs />;
}
