// The shell: left navigation, the page for the current URL, the token dialog and toasts.
import { useEffect, useState } from "preact/hooks";
import { onTokenNeeded } from "../api/client";
import { startJobEvents } from "../state/jobs";
import { useRoute } from "../state/route";
import { ConceptsPage } from "./ConceptsPage";
import { DatasetsPage } from "./DatasetsPage";
import { DatasetView } from "./DatasetView";
import { ExperimentsPage } from "./ExperimentsPage";
import { JobsPage } from "./JobsPage";
import { Sidebar } from "./Sidebar";
import { TokenDialog } from "./TokenDialog";
import { Toasts } from "./ui";

interface TokenRequest {
  wrong: boolean;
  resolve: (token: string) => void;
}

export function App() {
  const route = useRoute();
  const [tokenRequest, setTokenRequest] = useState<TokenRequest | null>(null);
  useEffect(() => {
    onTokenNeeded((wrong) => new Promise((resolve) => setTokenRequest({ wrong, resolve })));
    startJobEvents();
  }, []);
  let page;
  switch (route.page) {
    case "dataset":
      page = <DatasetView key={`${route.namespace}/${route.name}`} namespace={route.namespace} name={route.name} view={route.view} />;
      break;
    case "jobs":
      page = <JobsPage />;
      break;
    case "concepts":
      page = <ConceptsPage namespace={route.namespace} name={route.name} />;
      break;
    case "experiments":
      page = <ExperimentsPage name={route.name} />;
      break;
    default:
      page = <DatasetsPage />;
  }
  return (
    <div class="app">
      <Sidebar route={route} />
      <main class="main">{page}</main>
      {tokenRequest && (
        <TokenDialog
          wrong={tokenRequest.wrong}
          onSubmit={(token) => {
            tokenRequest.resolve(token);
            setTokenRequest(null);
          }}
        />
      )}
      <Toasts />
    </div>
  );
}
