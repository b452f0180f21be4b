// Placeholder: the shared Temporal server and Postgres admin URL are wired in here by the lead.
export default async function setup(): Promise<void> {}
