// Generated from docs/openapi.json by `npm run gen:types` (openapi-typescript): do not edit.
// openapi.json sha256: 5afc31cac257001c6ca0a89a4fdeecdfd7986076b9eb2d9b5cdd0c71033aa9df

export interface paths {
    "/api/v1/concepts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Concepts
         * @description Built-in and user concepts, without their examples.
         */
        get: operations["list_concepts"];
        put?: never;
        /**
         * Create Concept
         * @description A new, empty concept; add examples, then train it or score a dataset with it.
         */
        post: operations["create_concept"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/concepts/{namespace}/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Concept
         * @description The concept, its examples, and its model's metrics for ``embedding`` if trained.
         */
        get: operations["get_concept"];
        put?: never;
        post?: never;
        /**
         * Delete Concept
         * @description Delete a user concept with its examples and models (built-ins: 403).
         */
        delete: operations["delete_concept"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/concepts/{namespace}/{name}/examples": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add Concept Examples
         * @description Add labelled texts; a text already present has its label replaced.
         */
        post: operations["add_concept_examples"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/concepts/{namespace}/{name}/examples/remove": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Remove Concept Examples
         * @description Remove examples by id (unknown ids are skipped; ``num_removed`` says how many existed).
         */
        post: operations["remove_concept_examples"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/concepts/{namespace}/{name}/train": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Train Concept
         * @description Train the concept's model for ``embedding`` on its current examples; returns its metrics.
         *
         *     Needs at least one positive and one negative example.
         */
        post: operations["train_concept"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/data_dirs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Data Dirs
         * @description The folders ``POST /datasets`` may load from, named as the operator gave them.
         *
         *     Empty unless the server was started with ``--data-dir``; refused on a read-only server,
         *     which loads nothing.
         */
        get: operations["list_data_dirs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Datasets
         * @description Every dataset of the project with its row count (deleted rows included).
         */
        get: operations["list_datasets"];
        put?: never;
        /**
         * Load Dataset
         * @description Load a file from one of the server's data folders; answers once the load job runs (202).
         *
         *     ``path`` is relative to a data folder (``data/train.jsonl``, or ``train.jsonl``) or absolute
         *     inside one; globs (``data/*.jsonl``) match inside the folders only. Without ``--data-dir``
         *     this answers 403: upload the file instead.
         */
        post: operations["load_dataset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/upload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload Dataset
         * @description Upload a file (multipart) and load it as a background job (202).
         *
         *     Send the header ``X-Gristmill-Request: 1``: a form on another site cannot, so this is how
         *     the server knows the upload is not a cross-site form post. The file is kept in the project
         *     folder only while it loads (a refused or failed upload leaves nothing); the manifest's
         *     ``source`` names it by its uploaded file name.
         */
        post: operations["upload_dataset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Dataset
         * @description Schema (nested fields), size, source, derived columns with their lineage, labels.
         */
        get: operations["get_dataset"];
        put?: never;
        post?: never;
        /**
         * Delete Dataset
         * @description Delete the dataset and everything derived from it.
         */
        delete: operations["delete_dataset"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/clio": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Clio Columns
         * @description The stored conversation insights: per run its facets and the numeric facets'
         *     histograms (filter rows by ``<column>.<key> equals value`` to see a bar's).
         */
        get: operations["clio_columns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/clio/{column}/{facet}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Clio Facet
         * @description One clustered facet's hierarchy and map as they may be shown: clusters with too few
         *     conversations folded into "Other", names scrubbed. Each node's ``base_ids`` select its
         *     rows: filter by ``<column>.<key>_cluster in base_ids``.
         */
        get: operations["clio_facet"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/cluster": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cluster
         * @description Cluster the text at ``path`` into ``<path>__cluster``, as a background job (202).
         *
         *     The job embeds the text (reusing a computed embedding), reduces it with UMAP, clusters it
         *     with HDBSCAN and titles clusters and categories (keywords offline, or an LLM). An existing
         *     column answers 409 unless ``overwrite``; GET .../clusters browses the result.
         */
        post: operations["cluster"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/clusters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Cluster Hierarchy
         * @description A cluster column's categories, each with its clusters: ids, titles, row counts and mean
         *     membership. Filter rows by ``<column>.cluster_id`` (or ``.category_id``) to see them.
         */
        get: operations["cluster_hierarchy"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/columns/{column}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove Column
         * @description Remove a derived column (an embedding, signal, concept score, map output...).
         *
         *     Source columns cannot be removed; GET /datasets/{namespace}/{name} lists the derived ones
         *     with their lineage.
         */
        delete: operations["remove_column"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/compute_clio": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Compute Clio
         * @description Conversation insights of the chats at ``path`` (facets, a named hierarchy per clustered
         *     facet, a map) into ``<path>__clio``, as a background job (202).
         *
         *     ``use_llm`` takes the LLM the server's operator configured (a request never names one);
         *     without it the LLM-free mode runs. Stored with the same settings: ``job_id`` is null;
         *     with others, 409 unless ``overwrite``.
         */
        post: operations["compute_clio"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/compute_concept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Compute Concept
         * @description Score every row with a concept into a derived column (202).
         *
         *     Needs the ``embedding`` of ``path`` (POST .../compute_embedding first); trains the concept's
         *     model for that embedding if it has none yet.
         */
        post: operations["compute_concept"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/compute_embedding": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Compute Embedding
         * @description Embed the text at ``path`` into a vector index, as a background job (202).
         *
         *     Semantic and concept searches of that path use it once the job completes. Rerunning with
         *     the same model finds it done (``job_id`` null).
         */
        post: operations["compute_embedding"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/compute_keyword_index": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Compute Keyword Index
         * @description Build the BM25 index keyword searches of ``path`` read, as a background job (202).
         *
         *     Until it exists (and after the column is rewritten) a keyword search scans the column,
         *     with the same scores. With the index current already, ``job_id`` is null.
         */
        post: operations["compute_keyword_index"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/compute_projection": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Compute Projection
         * @description Project the stored embedding of ``path`` to 2-D for the map, as a background job (202).
         *
         *     Without a stored embedding this answers 404 with how to compute it; with the same projection
         *     already stored, ``job_id`` is null.
         */
        post: operations["compute_projection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/compute_signal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Compute Signal
         * @description Run a registered signal over the text at ``path`` into a derived column (202).
         */
        post: operations["compute_signal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/count": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Count Rows */
        post: operations["count_rows"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/delete_rows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Delete Rows
         * @description Soft-delete the chosen rows; restore_rows brings them back.
         */
        post: operations["delete_rows"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Export Rows */
        get: operations["export_rows"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/labels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add Labels
         * @description Label the chosen rows ``name = value`` (e.g. good = true).
         */
        post: operations["add_labels"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/labels/remove": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Remove Labels */
        post: operations["remove_labels"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/projection": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Projection
         * @description The points of a stored projection as columnar arrays, with a colour per point
         *     (``color_by``) and, with filters or searches, whether each point passes them.
         */
        post: operations["projection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/projections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Projections
         * @description The stored projections (one per text column and embedding), for the map to offer.
         */
        get: operations["projections"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/restore_rows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Restore Rows */
        post: operations["restore_rows"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/select_groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Select Groups
         * @description A histogram of one column: counts per value, numeric bin or text-length bin.
         *
         *     The grouping and the bins come from the whole column; the filters only change the counts,
         *     so clicking a bar narrows the rows without turning the histogram into a list of values.
         */
        post: operations["select_groups"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/select_rows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Select Rows
         * @description One page of rows matching the filters (ranked by the searches), with the total count.
         */
        post: operations["select_rows"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{namespace}/{name}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Column Stats */
        get: operations["column_stats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/embeddings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Embeddings
         * @description The embedding names a request may use (for compute_embedding and semantic search); GET
         *     /models has them with their details.
         */
        get: operations["list_embeddings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/experiments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Experiments
         * @description Every experiment of the project with its status (running, completed, failed...).
         */
        get: operations["list_experiments"];
        put?: never;
        /**
         * Create Experiment
         * @description Create an experiment and run it as a background job (202).
         *
         *     The settings are checked before the job starts (unknown columns, models or metrics answer
         *     400/404). Models are named as GET /models lists them (an address, URL or path answers 400).
         *     One experiment per dataset runs at a time here (a second answers 409).
         */
        post: operations["create_experiment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/experiments/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Experiment
         * @description The settings and the results table: per model and sub-metric the mean with its
         *     confidence interval (plus usage: latency, tokens), and each model's error if it failed.
         */
        get: operations["get_experiment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/experiments/{name}/best_worst": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Experiment Best Worst
         * @description A model's ``n`` best and ``n`` worst rows by a metric: input, references, prediction
         *     and score (rows without a score are left out).
         */
        get: operations["experiment_best_worst"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/experiments/{name}/compare": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Compare Experiment Models
         * @description Model ``a`` against model ``b`` per sub-metric on the rows both answered: mean
         *     difference with its interval, win/tie/loss rates and paired p-values.
         */
        get: operations["compare_experiment_models"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/experiments/{name}/rows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Experiment Rows
         * @description A page of a model's predictions next to the references, with every score, in row order.
         */
        get: operations["experiment_rows"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Jobs
         * @description Jobs, newest first.
         */
        get: operations["list_jobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Job Events
         * @description Server-sent events with job updates, until the client disconnects.
         */
        get: operations["job_events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Job */
        get: operations["get_job"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{job_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel Job
         * @description Ask the job to stop; it becomes 'cancelled' at its next check.
         */
        post: operations["cancel_job"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Models
         * @description The LLMs and embeddings requests may name: the project's named models (gristmill.yml's
         *     ``models:`` block) and the embedded ones, with whether each remote model's key is set.
         *     Never a key, a key variable, a URL or a file path.
         */
        get: operations["list_models"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/signals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Signals
         * @description Registered signals with the JSON schema of their parameters.
         */
        get: operations["list_signals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** AddConceptExamplesRequest */
        AddConceptExamplesRequest: {
            /** Examples */
            examples: components["schemas"]["NewConceptExample"][];
        };
        /** AddLabelsRequest */
        AddLabelsRequest: {
            /** Filters */
            filters?: components["schemas"]["Filter"][] | null;
            /**
             * Include Deleted
             * @default false
             */
            include_deleted?: boolean;
            /**
             * Name
             * @example good
             */
            name: string;
            /**
             * Row Ids
             * @description __rowid__ values
             */
            row_ids?: number[] | null;
            /**
             * Searches
             * @description rank rows by each search (after filters); each adds a {score, spans} column named as in search_columns. Semantic and concept searches need the embedding computed first.
             */
            searches?: (components["schemas"]["KeywordSearch"] | components["schemas"]["SemanticSearch"] | components["schemas"]["ConceptSearch"])[];
            /**
             * Value
             * @default true
             */
            value?: string;
        };
        /** BestWorst */
        BestWorst: {
            /** Best */
            best: components["schemas"]["SampleRow"][];
            /**
             * Column
             * @description the dataset path of this metric's scores
             */
            column: string;
            /** Higher Is Better */
            higher_is_better: boolean;
            /** Metric */
            metric: string;
            /** Model */
            model: string;
            /** Worst */
            worst: components["schemas"]["SampleRow"][];
        };
        /** Body_upload_dataset */
        Body_upload_dataset: {
            /**
             * File
             * @description a CSV, JSON, JSONL or Parquet file
             */
            file: string;
            /** Format */
            format?: ("json" | "jsonl" | "csv" | "parquet") | null;
            /** Name */
            name: string;
            /** Namespace */
            namespace: string;
            /**
             * Overwrite
             * @default false
             */
            overwrite?: boolean;
            /**
             * Skip Bad Lines
             * @default false
             */
            skip_bad_lines?: boolean;
        };
        /** CategorySummary */
        CategorySummary: {
            /**
             * Clusters
             * @description largest first
             */
            clusters: components["schemas"]["ClusterSummary"][];
            /** Count */
            count: number;
            /**
             * Id
             * @description the category_id to filter on
             */
            id: number;
            /**
             * Mean Membership
             * @description mean category_membership_prob of its rows
             */
            mean_membership: number;
            /** Title */
            title: string;
        };
        /**
         * ClioColumnInfo
         * @description One stored run: its column, the chats it read, and its facets.
         */
        ClioColumnInfo: {
            /**
             * Column
             * @example messages__clio
             */
            column: string;
            /**
             * Conversations
             * @description rows in the run
             */
            conversations: number;
            /** Facets */
            facets: components["schemas"]["ClioFacetInfo"][];
            /**
             * Histograms
             * @description per numeric facet, the rows with each value from lowest to highest
             */
            histograms: {
                [key: string]: components["schemas"]["HistogramBar"][];
            };
            /**
             * Mode
             * @description 'llm' or 'extractive' (LLM-free)
             */
            mode: string;
            /**
             * Path
             * @description the column of chats
             * @example messages
             */
            path: string;
        };
        /** ClioFacetInfo */
        ClioFacetInfo: {
            /**
             * Clustered
             * @description has a hierarchy: GET .../clio/{column}/{facet}
             */
            clustered: boolean;
            /**
             * Key
             * @description the facet's field in the stored struct
             * @example concerning
             */
            key: string;
            /**
             * Name
             * @example Concerning
             */
            name: string;
            /**
             * Numeric
             * @description [lowest, highest] of a numeric facet
             */
            numeric: number[] | null;
        };
        /**
         * ClioFacetView
         * @description One clustered facet as it may be shown: the folded hierarchy and the map.
         */
        ClioFacetView: {
            /** Column */
            column: string;
            /** Facet */
            facet: string;
            /**
             * Folded
             * @description stored clusters not shown (too few conversations)
             */
            folded: number;
            /** Key */
            key: string;
            /**
             * Min Conversations
             * @description the fewest conversations a shown cluster holds
             */
            min_conversations: number;
            /**
             * Nodes
             * @description parents before their children
             */
            nodes: components["schemas"]["ClioViewNode"][];
            points: components["schemas"]["ClioPoints"];
            /**
             * Roots
             * @description top-level nodes, largest first
             */
            roots: string[];
            /**
             * Scrubbed
             * @description personal data scrubbed from names and summaries
             */
            scrubbed: boolean;
            /**
             * Withheld
             * @description names withheld by the privacy auditor
             */
            withheld: number;
        };
        /** ClioList */
        ClioList: {
            /** Columns */
            columns: components["schemas"]["ClioColumnInfo"][];
        };
        /**
         * ClioPoints
         * @description The facet's 2-D map, columnar: one entry per conversation with a value for the facet.
         */
        ClioPoints: {
            /**
             * Node
             * @description the shown node (null: in no shown cluster)
             */
            node: (string | null)[];
            /** Rowid */
            rowid: number[];
            /** X */
            x: number[];
            /** Y */
            y: number[];
        };
        /** ClioViewNode */
        ClioViewNode: {
            /**
             * Base Ids
             * @description the stored base clusters under it (for an 'Other', the folded ones): its rows are those with <column>.<key>_cluster in base_ids
             */
            base_ids: string[];
            /** Children */
            children: string[];
            /** Id */
            id: string;
            /**
             * Level
             * @description 0 = a base cluster
             */
            level: number;
            /** Name */
            name: string;
            /** Parent */
            parent: string | null;
            /**
             * Size
             * @description conversations under it
             */
            size: number;
            /** Summary */
            summary: string;
        };
        /**
         * ClusterHierarchy
         * @description A cluster column as categories of clusters, with row counts.
         */
        ClusterHierarchy: {
            /**
             * Categories
             * @description largest first
             */
            categories: components["schemas"]["CategorySummary"][];
            /**
             * Column
             * @example instruction__cluster
             */
            column: string;
            /**
             * Input Path
             * @description the text column that was clustered
             */
            input_path: string | null;
            /** Num Categories */
            num_categories: number;
            /** Num Clusters */
            num_clusters: number;
            /**
             * Num Rows
             * @description rows with a cluster
             */
            num_rows: number;
            /**
             * Titles From
             * @description 'keywords', 'llm' or 'function'
             */
            titles_from: string | null;
        };
        /**
         * ClusterRequest
         * @description Cluster a text column into titled clusters and categories (``<path>__cluster``).
         */
        ClusterRequest: {
            /**
             * Embedding
             * @description by default one already computed for the path, else the default embedding
             */
            embedding?: string | null;
            /**
             * Llm
             * @description an LLM address for the titles
             * @example local
             */
            llm?: string | null;
            /**
             * Min Cluster Size
             * @description the fewest rows a cluster has
             * @default 5
             */
            min_cluster_size?: number;
            /**
             * Overwrite
             * @description recluster an existing column
             * @default false
             */
            overwrite?: boolean;
            /**
             * Path
             * @example instruction
             */
            path: string;
            /**
             * Use Llm
             * @description title with an LLM: true needs one, false never, null uses a configured one
             */
            use_llm?: boolean | null;
        };
        /** ClusterSummary */
        ClusterSummary: {
            /**
             * Count
             * @description rows in the cluster (deleted rows left out)
             */
            count: number;
            /**
             * Id
             * @description the cluster_id to filter on
             */
            id: number;
            /**
             * Mean Membership
             * @description mean cluster_membership_prob of its rows
             */
            mean_membership: number;
            /** Title */
            title: string;
        };
        /**
         * ColumnStats
         * @description Summary of one leaf column (``Dataset.stats``).
         */
        ColumnStats: {
            /** Approx Count Distinct */
            approx_count_distinct: number;
            /** Avg Length */
            avg_length: number | null;
            /** Avg Value */
            avg_value: number | null;
            /** Dtype */
            dtype: string;
            /** Max Length */
            max_length: number | null;
            /** Max Value */
            max_value: unknown;
            /** Min Length */
            min_length: number | null;
            /** Min Value */
            min_value: unknown;
            /** Null Count */
            null_count: number;
            /** Path */
            path: string;
            /** Total Count */
            total_count: number;
        };
        /**
         * ComputeClioRequest
         * @description Conversation insights of the chats at ``path`` into ``<path>__clio``, as a job.
         */
        ComputeClioRequest: {
            /**
             * Embedding
             * @description embeds the facet values and names
             * @default minilm
             */
            embedding?: string;
            /**
             * Facets
             * @description 'main': Request, Language, Task, Concerning (1-5); 'generic': a summary
             * @default main
             * @enum {string}
             */
            facets?: "main" | "generic";
            /**
             * Overwrite
             * @description recompute stored insights
             * @default false
             */
            overwrite?: boolean;
            /**
             * Path
             * @example messages
             */
            path: string;
            /**
             * Use Llm
             * @description facets and names by the LLM the server's operator configured (or the embedded one); false runs the LLM-free mode (extractors and keyphrases)
             * @default false
             */
            use_llm?: boolean;
        };
        /**
         * ComputeConceptRequest
         * @description Score every row with a concept (needs the embedding of ``path`` computed first).
         */
        ComputeConceptRequest: {
            /**
             * Embedding
             * @default minilm
             * @example minilm
             */
            embedding?: string;
            /**
             * Filters
             * @description compute only these rows
             */
            filters?: components["schemas"]["Filter"][];
            /**
             * Name
             * @example profanity
             */
            name: string;
            /**
             * Namespace
             * @example gristmill
             */
            namespace: string;
            /**
             * Overwrite
             * @description replace an existing, different result
             * @default false
             */
            overwrite?: boolean;
            /**
             * Path
             * @example instruction
             */
            path: string;
        };
        /**
         * ComputeEmbeddingRequest
         * @description Embed a text column span by span into a vector index (for semantic and concept search).
         */
        ComputeEmbeddingRequest: {
            /**
             * Embedding
             * @default minilm
             * @example minilm
             */
            embedding?: string;
            /**
             * Filters
             * @description compute only these rows
             */
            filters?: components["schemas"]["Filter"][];
            /**
             * Overwrite
             * @description replace an existing, different result
             * @default false
             */
            overwrite?: boolean;
            /**
             * Path
             * @example instruction
             */
            path: string;
        };
        /**
         * ComputeKeywordIndexRequest
         * @description Build the BM25 index keyword searches of a text column read (they scan until it exists).
         */
        ComputeKeywordIndexRequest: {
            /**
             * Overwrite
             * @description rebuild an index that is current
             * @default false
             */
            overwrite?: boolean;
            /**
             * Path
             * @example instruction
             */
            path: string;
        };
        /**
         * ComputeProjectionRequest
         * @description Project the stored embedding of ``path`` to 2-D for the map, as a background job.
         */
        ComputeProjectionRequest: {
            /**
             * Embedding
             * @description by default the one stored for the path (the default embedding if several)
             */
            embedding?: string | null;
            /**
             * Max Points
             * @description above this many rows a seeded sample is projected (at least 100000)
             * @default 200000
             */
            max_points?: number;
            /**
             * Overwrite
             * @description recompute a stored projection
             * @default false
             */
            overwrite?: boolean;
            /**
             * Path
             * @example instruction
             */
            path: string;
        };
        /** ComputeSignalRequest */
        ComputeSignalRequest: {
            /**
             * Filters
             * @description compute only these rows
             */
            filters?: components["schemas"]["Filter"][];
            /**
             * Output Column
             * @description by default '<path>__<signal>'
             */
            output_column?: string | null;
            /**
             * Overwrite
             * @description replace an existing, different result
             * @default false
             */
            overwrite?: boolean;
            /**
             * Params
             * @description the signal's parameters (its JSON schema in /signals)
             */
            params?: {
                [key: string]: unknown;
            };
            /**
             * Path
             * @example instruction
             */
            path: string;
            /**
             * Signal
             * @description a name from GET /signals
             * @example pii
             */
            signal: string;
        };
        /** ConceptDetail */
        ConceptDetail: {
            /** Examples */
            examples: components["schemas"]["ConceptExample"][];
            info: components["schemas"]["ConceptInfo"];
            /** @description the model of the current version for the requested embedding; null until trained (POST .../train, or by scoring with the concept) */
            model: components["schemas"]["ConceptModelSummary"] | null;
        };
        /**
         * ConceptExample
         * @description One labelled text: ``label=True`` means "this is the concept".
         */
        ConceptExample: {
            /**
             * Draft
             * @default main
             */
            draft: string;
            /** Id */
            id: string;
            /** Label */
            label: boolean;
            /** Source */
            source: string | null;
            /** Text */
            text: string;
        };
        /** ConceptExamplesAdded */
        ConceptExamplesAdded: {
            /** Examples */
            examples: components["schemas"]["ConceptExample"][];
            /**
             * Version
             * @description the concept's version after the edit
             */
            version: number;
        };
        /** ConceptExamplesRemoved */
        ConceptExamplesRemoved: {
            /** Num Removed */
            num_removed: number;
            /** Version */
            version: number;
        };
        /**
         * ConceptInfo
         * @description A concept without its examples: what ``list_concepts()`` returns.
         */
        ConceptInfo: {
            /**
             * Builtin
             * @default false
             */
            builtin: boolean;
            /** Created At */
            created_at: string | null;
            /** Description */
            description: string | null;
            /** Drafts */
            drafts: string[];
            /** Name */
            name: string;
            /** Namespace */
            namespace: string;
            /**
             * Num Negative
             * @default 0
             */
            num_negative: number;
            /**
             * Num Positive
             * @default 0
             */
            num_positive: number;
            /**
             * Type
             * @default text
             * @constant
             */
            type: "text";
            /** Updated At */
            updated_at: string | null;
            /**
             * Version
             * @default 0
             */
            version: number;
        };
        /** ConceptList */
        ConceptList: {
            /** Concepts */
            concepts: components["schemas"]["ConceptInfo"][];
        };
        /**
         * ConceptMetrics
         * @description Cross-validated quality of a concept model on its own examples.
         *
         *     Scores are computed out of fold (each example scored by a model that did not see it),
         *     at the 0.5 probability threshold. ``None`` where a metric cannot be estimated (too few
         *     examples of one class to hold any out).
         */
        ConceptMetrics: {
            /** F1 */
            f1: number | null;
            /** Folds */
            folds: number;
            /** Note */
            note: string | null;
            /** Num Examples */
            num_examples: number;
            /** Num Negative */
            num_negative: number;
            /** Num Positive */
            num_positive: number;
            /** Precision */
            precision: number | null;
            /** Recall */
            recall: number | null;
            /** Roc Auc */
            roc_auc: number | null;
        };
        /**
         * ConceptModelSummary
         * @description A concept model trained for one embedding: its cross-validated quality.
         */
        ConceptModelSummary: {
            /** Concept Version */
            concept_version: number;
            /** Embedding */
            embedding: string;
            /** Embedding Model Id */
            embedding_model_id: string;
            metrics: components["schemas"]["ConceptMetrics"];
            /**
             * Trained At
             * Format: date-time
             */
            trained_at: string;
        };
        /**
         * ConceptSearch
         * @description Rows ranked by a concept's score (e.g. ``gristmill/profanity``).
         */
        ConceptSearch: {
            /** Concept Name */
            concept_name: string;
            /** Concept Namespace */
            concept_namespace: string;
            /**
             * Embedding
             * @default minilm
             */
            embedding?: string;
            /** Path */
            path: string | string[];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "concept";
        };
        /** CountRequest */
        CountRequest: {
            /** Filters */
            filters?: components["schemas"]["Filter"][];
            /**
             * Include Deleted
             * @default false
             */
            include_deleted?: boolean;
            /**
             * Searches
             * @description count only the rows the searches return
             */
            searches?: (components["schemas"]["KeywordSearch"] | components["schemas"]["SemanticSearch"] | components["schemas"]["ConceptSearch"])[];
        };
        /** CountResponse */
        CountResponse: {
            /** Count */
            count: number;
        };
        /** CreateConceptRequest */
        CreateConceptRequest: {
            /** Description */
            description?: string | null;
            /**
             * Name
             * @example politeness
             */
            name: string;
            /**
             * Namespace
             * @example local
             */
            namespace: string;
        };
        /**
         * CreateExperimentRequest
         * @description Several models answer the same rows of a dataset; each is scored against references.
         */
        CreateExperimentRequest: {
            /**
             * Dataset
             * @description 'namespace/name'
             * @example local/dialogsum
             */
            dataset: string;
            /**
             * Filters
             * @description evaluate only these rows
             */
            filters?: components["schemas"]["Filter"][];
            /**
             * Input Column
             * @example dialogue
             */
            input_column: string;
            /**
             * Max Samples
             * @description the first N rows only
             */
            max_samples?: number | null;
            /** Max Tokens */
            max_tokens?: number | null;
            /**
             * Metrics
             * @description registered metric names; by default the task's
             */
            metrics?: string[] | null;
            /**
             * Models
             * @description model names as GET /models lists them (gristmill.yml's models: block, or 'local') or configs with such an address, a label and overrides; by default the project's configured LLM. Addresses with a URL or a path are refused (400).
             * @example [
             *       "local"
             *     ]
             */
            models?: (string | components["schemas"]["ModelConfig-Input"])[] | null;
            /**
             * Name
             * @description by default one made from the dataset
             */
            name?: string | null;
            /**
             * Overwrite
             * @description replace an experiment of the same name
             * @default false
             */
            overwrite?: boolean;
            /**
             * Reference Columns
             * @example [
             *       "summary1"
             *     ]
             */
            reference_columns?: string[];
            /** System Prompt */
            system_prompt?: string | null;
            /**
             * Task
             * @default summarization
             * @example summarization
             */
            task?: string;
            /**
             * Temperature
             * @default 0
             */
            temperature?: number;
        };
        /**
         * DataDirList
         * @description The folders a client may load files from, named as the server's operator gave them.
         */
        DataDirList: {
            /**
             * Data Dirs
             * @description empty: this server loads no files from its disk (upload them instead)
             * @example [
             *       "data",
             *       "~/corpora"
             *     ]
             */
            data_dirs: string[];
        };
        /** DatasetInfo */
        DatasetInfo: {
            /** Created At */
            created_at: string;
            /** Name */
            name: string;
            /** Namespace */
            namespace: string;
            /** Num Rows */
            num_rows: number;
        };
        /** DatasetList */
        DatasetList: {
            /** Datasets */
            datasets: components["schemas"]["DatasetInfo"][];
        };
        /**
         * DatasetManifest
         * @description What ``Dataset.manifest()`` returns: identity, schema, size and lineage.
         */
        DatasetManifest: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            data_schema: components["schemas"]["Schema"];
            /** Dataset Name */
            dataset_name: string;
            /** Derived Columns */
            derived_columns: components["schemas"]["DerivedColumn"][];
            /** Labels */
            labels: string[];
            /** Namespace */
            namespace: string;
            /** Num Deleted */
            num_deleted: number;
            /** Num Items */
            num_items: number;
            /** Source */
            source: {
                [key: string]: unknown;
            };
        };
        /**
         * DerivedColumn
         * @description A column stored apart from the source rows, keyed by ``__rowid__``.
         */
        DerivedColumn: {
            lineage: components["schemas"]["Lineage"];
            /** Name */
            name: string;
        };
        /** EmbeddingList */
        EmbeddingList: {
            /** Default */
            default: string;
            /**
             * Embeddings
             * @description registered names; families such as 'sentence-transformers' take a '/variant'
             */
            embeddings: string[];
        };
        /**
         * EnrichmentStarted
         * @description A computation accepted: follow it with ``GET /jobs/{job_id}`` or ``/jobs/events``.
         */
        EnrichmentStarted: {
            /**
             * Dataset
             * @description 'namespace/name' being enriched
             */
            dataset: string;
            /**
             * Job Id
             * @description null when nothing needed computing (the same result is already stored)
             */
            job_id: string | null;
            /**
             * Kind
             * @description the job kind: 'embedding', 'signal', 'concept', 'keyword_index', 'cluster', 'projection' or 'clio'
             */
            kind: string;
        };
        /** ErrorDetail */
        ErrorDetail: {
            /** Code */
            code: string;
            /** Hint */
            hint: string | null;
            /** Message */
            message: string;
        };
        /**
         * ErrorResponse
         * @description The body of every error answer.
         */
        ErrorResponse: {
            error: components["schemas"]["ErrorDetail"];
        };
        /**
         * ExperimentConfig
         * @description Everything an experiment was asked to do; saved as JSON so a rerun repeats it.
         */
        ExperimentConfig: {
            /**
             * Concurrency
             * @default 4
             */
            concurrency: number;
            /**
             * Confidence
             * @default 0.95
             */
            confidence: number;
            /** Dataset */
            dataset: string;
            /** Filters */
            filters: {
                [key: string]: unknown;
            }[];
            /** Input Column */
            input_column: string;
            /** Judge Model */
            judge_model: string | null;
            /** Labels */
            labels: string[] | null;
            /** Max Input Tokens */
            max_input_tokens: number | null;
            /** Max Samples */
            max_samples: number | null;
            /** Max Tokens */
            max_tokens: number | null;
            /** Metrics */
            metrics: string[];
            /** Models */
            models: components["schemas"]["ModelConfig-Output"][];
            /**
             * N Resamples
             * @default 1000
             */
            n_resamples: number;
            /** Name */
            name: string;
            /** Reference Columns */
            reference_columns: string[];
            /** System Prompt */
            system_prompt: string | null;
            /**
             * Task
             * @default summarization
             */
            task: string;
            /** Task Options */
            task_options: {
                [key: string]: unknown;
            };
            /**
             * Temperature
             * @default 0
             */
            temperature: number;
        };
        /** ExperimentDetail */
        ExperimentDetail: {
            config: components["schemas"]["ExperimentConfig"];
            /**
             * Error
             * @description why the run stopped, if it failed
             */
            error: string | null;
            /**
             * Errors
             * @description models that failed, with their errors
             */
            errors: {
                [key: string]: string;
            };
            /** Job Id */
            job_id: string | null;
            /**
             * Metrics
             * @description the sub-metrics in the table, in order
             */
            metrics: string[];
            /** Models */
            models: components["schemas"]["ModelOutcome"][];
            /**
             * Num Rows
             * @description rows in the evaluated sample
             */
            num_rows: number | null;
            /**
             * Status
             * @description 'running', 'completed', 'failed' or 'interrupted'
             */
            status: string;
            /**
             * Table
             * @description model x metric: mean and confidence interval
             */
            table: components["schemas"]["ResultCell"][];
        };
        /**
         * ExperimentInfo
         * @description One line of ``list_experiments()``.
         */
        ExperimentInfo: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Dataset */
            dataset: string;
            /** Metrics */
            metrics: string[];
            /** Models */
            models: string[];
            /** Name */
            name: string;
            /** Num Rows */
            num_rows: number | null;
            /** Status */
            status: string;
            /** Task */
            task: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /** ExperimentList */
        ExperimentList: {
            /**
             * Experiments
             * @description oldest first
             */
            experiments: components["schemas"]["ExperimentInfo"][];
        };
        /**
         * ExperimentRows
         * @description A page of one model's per-row predictions, references and scores (in row order).
         */
        ExperimentRows: {
            /** Limit */
            limit: number;
            /** Model */
            model: string;
            /** Offset */
            offset: number;
            /** Rows */
            rows: components["schemas"]["SampleRow"][];
            /** Total Num Rows */
            total_num_rows: number;
        };
        /**
         * ExperimentStarted
         * @description An experiment accepted and running: follow its job, then GET /experiments/{name}.
         */
        ExperimentStarted: {
            /** Dataset */
            dataset: string;
            /**
             * Job Id
             * @description the experiment's job (null if it ended at once)
             */
            job_id: string | null;
            /** Name */
            name: string;
        };
        /**
         * Filter
         * @description One condition on a column; filters in a list are combined with AND.
         */
        Filter: {
            /**
             * Op
             * @enum {string}
             */
            op: "equals" | "not_equal" | "greater" | "greater_equal" | "less" | "less_equal" | "in" | "exists" | "not_exists" | "regex_matches" | "not_regex_matches" | "length_longer" | "length_shorter" | "ilike";
            /** Path */
            path: string | string[];
            /** Value */
            value?: unknown;
        };
        /**
         * GroupsResult
         * @description Histogram of one leaf (``Dataset.select_groups``), ready for the UI to draw.
         *
         *     ``kind`` says how values were grouped: by value (``categorical``/``boolean``), by numeric bin
         *     (``numeric``), or by string length bin (``length``, for free text: many distinct values, or
         *     long ones that rarely repeat). The kind and the bins are read from the whole column; filters
         *     change only the counts. Each group is ``(value or bin label, count)``; bins carry their
         *     bounds in ``bins``.
         */
        GroupsResult: {
            /** Bins */
            bins: [
                string,
                number | null,
                number | null
            ][] | null;
            /** Counts */
            counts: [
                unknown,
                number
            ][];
            /**
             * Kind
             * @enum {string}
             */
            kind: "categorical" | "boolean" | "numeric" | "length";
            /** Path */
            path: string;
            /**
             * Too Many Distinct
             * @default false
             */
            too_many_distinct: boolean;
        };
        /** Health */
        Health: {
            /** Read Only */
            read_only: boolean;
            /**
             * Status
             * @default ok
             * @constant
             */
            status: "ok";
            /** Version */
            version: string;
        };
        /** HistogramBar */
        HistogramBar: {
            /** Count */
            count: number;
            /** Value */
            value: number;
        };
        /**
         * JobInfo
         * @description One job as stored in the metadata database.
         */
        JobInfo: {
            /**
             * Cancel Requested
             * @description cancel_job() was called; the job stops at its next check
             * @default false
             */
            cancel_requested: boolean;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Dataset
             * @description 'namespace/name' the job works on
             */
            dataset: string | null;
            /** Description */
            description: string;
            /**
             * Error
             * @description why it failed or was cancelled
             */
            error: string | null;
            /** Finished At */
            finished_at: string | null;
            /**
             * Host
             * @description machine running the job
             */
            host: string | null;
            /** Id */
            id: string;
            /**
             * Kind
             * @description what produced the job: 'map', 'embedding', 'signal', ...
             */
            kind: string;
            /** Message */
            message: string | null;
            /** Params */
            params: {
                [key: string]: unknown;
            };
            /**
             * Pid
             * @description process running the job
             */
            pid: number | null;
            /**
             * Progress
             * @description items done so far
             */
            progress: number;
            /** Started At */
            started_at: string | null;
            status: components["schemas"]["JobStatus"];
            /**
             * Total
             * @description items to do, when known
             */
            total: number | null;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /** JobList */
        JobList: {
            /** Jobs */
            jobs: components["schemas"]["JobInfo"][];
        };
        /**
         * JobStatus
         * @description Where a job is in its life. Only ``pending`` and ``running`` can still change.
         * @enum {string}
         */
        JobStatus: "pending" | "running" | "completed" | "failed" | "cancelled";
        /**
         * KeywordSearch
         * @description BM25-ranked full-text search, with the matching words highlighted.
         */
        KeywordSearch: {
            /** Path */
            path: string | string[];
            /** Query */
            query: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "keyword";
        };
        /**
         * Lineage
         * @description What produced a derived column, from what, with which parameters, and when.
         */
        Lineage: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Input Path */
            input_path: string | null;
            /**
             * Kind
             * @enum {string}
             */
            kind: "map" | "signal" | "embedding" | "concept" | "cluster" | "prediction" | "metric" | "projection" | "clio";
            /**
             * Num Rows
             * @default 0
             */
            num_rows: number;
            /** Params */
            params: {
                [key: string]: unknown;
            };
            /**
             * Part Of
             * @description the derived column this one was computed as a step of (the text a clustering embeds): an internal, not something a person asked for
             */
            part_of: string | null;
            /** Producer */
            producer: string;
        };
        /**
         * LoadRequest
         * @description Load a file that is on the server's disk into a new dataset, as a background job.
         */
        LoadRequest: {
            /**
             * Format
             * @description the file format; by default told from the file extension
             */
            format?: ("json" | "jsonl" | "csv" | "parquet") | null;
            /**
             * Name
             * @example alpaca
             */
            name: string;
            /**
             * Namespace
             * @example local
             */
            namespace: string;
            /**
             * Overwrite
             * @description replace a dataset of the same name
             * @default false
             */
            overwrite?: boolean;
            /**
             * Path
             * @description a file, glob or Parquet folder inside one of the server's data folders (GET /data_dirs): relative to one ('data/train.jsonl') or absolute inside it
             * @example data/train.jsonl
             */
            path: string;
            /**
             * Skip Bad Lines
             * @description JSON Lines: drop malformed lines instead of failing
             * @default false
             */
            skip_bad_lines?: boolean;
        };
        /**
         * LoadStarted
         * @description A load accepted and running: follow it with ``GET /jobs/{job_id}`` or ``/jobs/events``.
         */
        LoadStarted: {
            /**
             * Dataset
             * @description 'namespace/name' being created
             */
            dataset: string;
            /** Job Id */
            job_id: string;
        };
        /**
         * ModelComparison
         * @description Model A against model B: a paired comparison per sub-metric, optionally a judge's.
         */
        ModelComparison: {
            /** Metrics */
            metrics: {
                [key: string]: components["schemas"]["PairedComparison"];
            };
            /** Model A */
            model_a: string;
            /** Model B */
            model_b: string;
            preference: components["schemas"]["PairwisePreference"] | null;
        };
        /**
         * ModelConfig
         * @description A model in an experiment: its address, a label (column and table name) and overrides
         *     of the experiment's generation settings.
         */
        "ModelConfig-Input": {
            /** Address */
            address: string;
            /** Label */
            label?: string | null;
            /** Max Tokens */
            max_tokens?: number | null;
            /** System Prompt */
            system_prompt?: string | null;
            /** Temperature */
            temperature?: number | null;
        };
        /**
         * ModelConfig
         * @description A model in an experiment: its address, a label (column and table name) and overrides
         *     of the experiment's generation settings.
         */
        "ModelConfig-Output": {
            /** Address */
            address: string;
            /** Label */
            label: string | null;
            /** Max Tokens */
            max_tokens: number | null;
            /** System Prompt */
            system_prompt: string | null;
            /** Temperature */
            temperature: number | null;
        };
        /**
         * ModelInfo
         * @description A model a request may name (never its key, key variable, URL or file path).
         */
        ModelInfo: {
            /**
             * Key Set
             * @description for a remote model: whether the server's environment holds the key configured for its endpoint (null: no key is configured for it)
             */
            key_set: boolean | null;
            /**
             * Kind
             * @enum {string}
             */
            kind: "llm" | "embedding";
            /**
             * Model
             * @description the model the name stands for, when it says
             */
            model: string | null;
            /**
             * Name
             * @description what a request names it by
             * @example gpt4o
             */
            name: string;
            /**
             * Provider
             * @example openai
             */
            provider: string;
            /**
             * Remote
             * @description calls a model server over the network
             */
            remote: boolean;
        };
        /**
         * ModelList
         * @description The LLMs and embeddings requests may name (from gristmill.yml's models: and built-ins).
         */
        ModelList: {
            /** Default Embedding */
            default_embedding: string;
            /**
             * Default Llm
             * @description what runs when a request names no LLM: the configured one ('provider/model' or its name), else 'local' when installed, else null
             */
            default_llm: string | null;
            /** Embeddings */
            embeddings: components["schemas"]["ModelInfo"][];
            /** Llms */
            llms: components["schemas"]["ModelInfo"][];
        };
        /**
         * ModelOutcome
         * @description One model of an experiment: status, error, and where its values are in the dataset.
         */
        ModelOutcome: {
            /** Address */
            address: string;
            /** Error */
            error: string | null;
            /** Model */
            model: string;
            /**
             * N Errors
             * @description rows the model failed to answer
             */
            n_errors: number | null;
            /** N Rows */
            n_rows: number | null;
            /**
             * Prediction Column
             * @description the derived column with the predictions
             */
            prediction_column: string;
            /**
             * Score Columns
             * @description sub-metric -> its dataset path (filter or sort the dataset by it)
             */
            score_columns: {
                [key: string]: string;
            };
            /**
             * Status
             * @description 'completed' or 'failed'
             */
            status: string;
        };
        /** NewConceptExample */
        NewConceptExample: {
            /**
             * Label
             * @description true: the text is the concept
             */
            label: boolean;
            /** Text */
            text: string;
        };
        /**
         * PairedComparison
         * @description Model A against model B on the rows both have a value for.
         *
         *     ``mean_difference`` is mean(A - B) with its bootstrap interval. Wins, ties and losses are
         *     counted from A's side, in the metric's better direction. ``p_value`` is the two-sided paired
         *     bootstrap p-value for "no mean difference" (``None`` below two pairs); ``sign_test_p_value``
         *     is the exact two-sided sign test on wins against losses (ties dropped).
         */
        PairedComparison: {
            /** Ci High */
            ci_high: number | null;
            /** Ci Low */
            ci_low: number | null;
            /** Confidence */
            confidence: number;
            /** Loss Rate */
            loss_rate: number | null;
            /** Losses */
            losses: number;
            /** Mean A */
            mean_a: number | null;
            /** Mean B */
            mean_b: number | null;
            /** Mean Difference */
            mean_difference: number | null;
            /** N */
            n: number;
            /** N Skipped */
            n_skipped: number;
            /** P Value */
            p_value: number | null;
            /** Sign Test P Value */
            sign_test_p_value: number | null;
            /** Tie Rate */
            tie_rate: number | null;
            /** Ties */
            ties: number;
            /** Win Rate */
            win_rate: number | null;
            /** Wins */
            wins: number;
        };
        /**
         * PairwisePreference
         * @description Pairwise preference of model A over model B, each row judged in both orders.
         *
         *     ``outcomes`` holds per row ``'a'``, ``'b'``, ``'tie'`` or ``None`` (a prediction missing or
         *     a judge call failed). ``inconsistent`` counts rows whose two orders disagreed (counted as
         *     ties). ``p_value`` is the exact sign test of A's wins against B's.
         */
        PairwisePreference: {
            /** Inconsistent */
            inconsistent: number;
            /** Judge */
            judge: string;
            /** N */
            n: number;
            /** N Missing */
            n_missing: number;
            /** Outcomes */
            outcomes: (string | null)[];
            /** P Value */
            p_value: number | null;
            /** Ties */
            ties: number;
            /** Win Rate A */
            win_rate_a: number | null;
            /** Win Rate B */
            win_rate_b: number | null;
            /** Wins A */
            wins_a: number;
            /** Wins B */
            wins_b: number;
        };
        /**
         * PointColors
         * @description A value per point of the map, for its colours and legend.
         */
        PointColors: {
            /**
             * Categories
             * @description categorical: the legend, most frequent first (at most 20, then 'other'); numeric: empty
             */
            categories: string[];
            /**
             * Field
             * @description the column path the colours come from
             */
            field: string;
            /**
             * Kind
             * @description categorical: strings, booleans, whole numbers with few values; else numeric
             * @enum {string}
             */
            kind: "categorical" | "numeric";
            /**
             * Values
             * @description per point: an index into categories (categorical) or the number (numeric); null when the row has no value
             */
            values: (number | null)[];
        };
        /**
         * ProjectionInfo
         * @description A stored projection: the text it maps, the embedding it came from, its column.
         */
        ProjectionInfo: {
            /**
             * Column
             * @description the derived column holding {x, y}
             */
            column: string;
            /**
             * Embedding
             * @description the embedding it was computed from
             */
            embedding: string;
            /**
             * Num Points
             * @description rows projected when it was computed
             */
            num_points: number;
            /**
             * Path
             * @description the text column mapped
             */
            path: string;
            /**
             * Sampled
             * @description true when the embedded rows were more than max_points
             */
            sampled: boolean;
        };
        /** ProjectionList */
        ProjectionList: {
            /** Projections */
            projections: components["schemas"]["ProjectionInfo"][];
        };
        /**
         * ProjectionRequest
         * @description The points of a stored projection, coloured by ``color_by``, masked by filters.
         */
        ProjectionRequest: {
            /**
             * Color By
             * @description a single-valued field path: a category or cluster column, a label (by its name), a signal field or a concept score
             * @example instruction__cluster.cluster_title
             */
            color_by?: string | null;
            /**
             * Embedding
             * @description by default the default embedding's projection, or the only one
             */
            embedding?: string | null;
            /**
             * Filters
             * @description combined with AND; 'included' says who passes
             */
            filters?: components["schemas"]["Filter"][];
            /**
             * Path
             * @example instruction
             */
            path: string;
            /**
             * Searches
             * @description rows the searches leave out are not 'included'
             */
            searches?: (components["schemas"]["KeywordSearch"] | components["schemas"]["SemanticSearch"] | components["schemas"]["ConceptSearch"])[];
        };
        /**
         * ProjectionView
         * @description The points of a projection (rows deleted since left out) with colours and a mask.
         */
        ProjectionView: {
            /** @description null when no color_by was asked for */
            color: components["schemas"]["PointColors"] | null;
            /** Embedding */
            embedding: string;
            /**
             * Included
             * @description null without filters or searches; else per point: whether it passes them
             */
            included: boolean[] | null;
            /** Num Points */
            num_points: number;
            /** Path */
            path: string;
            /** Rowids */
            rowids: number[];
            /**
             * Sampled
             * @description true when the map shows a sample of the rows
             */
            sampled: boolean;
            /**
             * X
             * @description in [0, 1], the same scale on both axes
             */
            x: number[];
            /**
             * Y
             * @description in [0, 1], the same scale on both axes
             */
            y: number[];
        };
        /** RemoveConceptExamplesRequest */
        RemoveConceptExamplesRequest: {
            /** Ids */
            ids: string[];
        };
        /** RemoveLabelsRequest */
        RemoveLabelsRequest: {
            /** Filters */
            filters?: components["schemas"]["Filter"][] | null;
            /**
             * Include Deleted
             * @default false
             */
            include_deleted?: boolean;
            /**
             * Name
             * @example good
             */
            name: string;
            /**
             * Row Ids
             * @description __rowid__ values
             */
            row_ids?: number[] | null;
            /**
             * Searches
             * @description rank rows by each search (after filters); each adds a {score, spans} column named as in search_columns. Semantic and concept searches need the embedding computed first.
             */
            searches?: (components["schemas"]["KeywordSearch"] | components["schemas"]["SemanticSearch"] | components["schemas"]["ConceptSearch"])[];
        };
        /**
         * ResultCell
         * @description A model's mean of one sub-metric (or usage figure) with its bootstrap interval.
         */
        ResultCell: {
            /** Ci High */
            ci_high: number | null;
            /** Ci Low */
            ci_low: number | null;
            /**
             * Corpus
             * @description the corpus-level score, for metrics that have one
             */
            corpus: number | null;
            /** Higher Is Better */
            higher_is_better: boolean | null;
            /**
             * Kind
             * @enum {string}
             */
            kind: "metric" | "usage";
            /** Mean */
            mean: number | null;
            /** Metric */
            metric: string;
            /** Model */
            model: string;
            /** N */
            n: number;
            /** N Missing */
            n_missing: number;
        };
        /**
         * RowSelection
         * @description Rows chosen by ``row_ids``, ``filters``, ``searches`` or several (rows meeting all).
         *
         *     At least one must be given: ``filters: []`` is how to choose every row on purpose. A search
         *     chooses the rows it ranks: a keyword search the rows that hold its terms, a semantic or
         *     concept search its nearest rows, as ``select_rows`` returns them.
         */
        RowSelection: {
            /** Filters */
            filters?: components["schemas"]["Filter"][] | null;
            /**
             * Row Ids
             * @description __rowid__ values
             */
            row_ids?: number[] | null;
            /**
             * Searches
             * @description rank rows by each search (after filters); each adds a {score, spans} column named as in search_columns. Semantic and concept searches need the embedding computed first.
             */
            searches?: (components["schemas"]["KeywordSearch"] | components["schemas"]["SemanticSearch"] | components["schemas"]["ConceptSearch"])[];
        };
        /** RowsChanged */
        RowsChanged: {
            /**
             * Num Rows
             * @description how many rows the request changed
             */
            num_rows: number;
        };
        /** SampleRow */
        SampleRow: {
            /**
             * Error
             * @description the model's error on this row
             */
            error: string | null;
            /** Input */
            input: unknown;
            /** Prediction */
            prediction: string | null;
            /** References */
            references: string[];
            /**
             * Rowid
             * @description the dataset's __rowid__
             */
            rowid: number;
            /** Scores */
            scores: {
                [key: string]: number | null;
            };
        };
        /**
         * Schema
         * @description A dataset's columns as a tree; ``print(schema)`` shows it as Lilac does.
         */
        Schema: {
            /** Fields */
            fields: {
                [key: string]: components["schemas"]["SchemaField"];
            };
        };
        /**
         * SchemaField
         * @description One node of a dataset's schema: a leaf with a dtype, a struct with fields, or a list.
         */
        SchemaField: {
            /**
             * Derived
             * @default false
             */
            derived: boolean;
            /** Dtype */
            dtype: string;
            /** Fields */
            fields: {
                [key: string]: components["schemas"]["SchemaField"];
            } | null;
            repeated_field: components["schemas"]["SchemaField"] | null;
        };
        /** SelectGroupsRequest */
        SelectGroupsRequest: {
            /**
             * Bins
             * @description a number of bins, or their edges, for numeric values
             */
            bins?: number | number[] | null;
            /** Filters */
            filters?: components["schemas"]["Filter"][];
            /**
             * Include Deleted
             * @default false
             */
            include_deleted?: boolean;
            /**
             * Limit
             * @default 100
             */
            limit?: number | null;
            /** Path */
            path: string;
        };
        /** SelectRowsRequest */
        SelectRowsRequest: {
            /**
             * Columns
             * @description column paths ('a.b', 'messages.*.content'); null or ['*'] for all. '__rowid__' is always included.
             */
            columns?: string[] | null;
            /**
             * Filters
             * @description combined with AND
             */
            filters?: components["schemas"]["Filter"][];
            /**
             * Include Deleted
             * @default false
             */
            include_deleted?: boolean;
            /**
             * Limit
             * @default 100
             */
            limit?: number;
            /**
             * Offset
             * @description rows to skip; past the last row, no rows come back
             * @default 0
             */
            offset?: number;
            /**
             * Searches
             * @description rank rows by each search (after filters); each adds a {score, spans} column named as in search_columns. Semantic and concept searches need the embedding computed first.
             */
            searches?: (components["schemas"]["KeywordSearch"] | components["schemas"]["SemanticSearch"] | components["schemas"]["ConceptSearch"])[];
            /**
             * Sort By
             * @description by default rows come in the first search's order
             */
            sort_by?: string[];
            /**
             * Sort Order
             * @default DESC
             * @enum {string}
             */
            sort_order?: "ASC" | "DESC";
        };
        /** SelectRowsResponse */
        SelectRowsResponse: {
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /**
             * Rows
             * @description JSON-safe rows keyed by column path: timestamps as ISO 8601 text, bytes as base64, NaN and infinities as null
             */
            rows: {
                [key: string]: unknown;
            }[];
            /**
             * Search Columns
             * @description the result column of each search, in request order: every row holds {score, spans: [{start, end, score}]} there (character offsets into the searched text)
             */
            search_columns: string[];
            /**
             * Total Num Rows
             * @description rows matching the filters, ignoring paging
             */
            total_num_rows: number;
        };
        /**
         * SemanticSearch
         * @description Rows whose text is nearest in meaning to ``query`` (needs ``compute_embedding``).
         */
        SemanticSearch: {
            /**
             * Embedding
             * @default minilm
             */
            embedding?: string;
            /** Path */
            path: string | string[];
            /** Query */
            query: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "semantic";
        };
        /** SignalInfo */
        SignalInfo: {
            /** Description */
            description: string | null;
            /**
             * Display Name
             * @description what people call it: 'Language detection'
             */
            display_name: string;
            /** Name */
            name: string;
            /**
             * On Embeddings
             * @description computed from a stored embedding of the column
             */
            on_embeddings: boolean;
            /**
             * Parameters
             * @description JSON schema of the signal's parameters
             */
            parameters: {
                [key: string]: unknown;
            };
            /**
             * Scope
             * @description 'row' signals resume chunk by chunk; 'dataset' ones see all rows at once
             * @enum {string}
             */
            scope: "row" | "dataset";
            /** Version */
            version: number;
        };
        /** SignalList */
        SignalList: {
            /** Signals */
            signals: components["schemas"]["SignalInfo"][];
        };
        /** TrainConceptRequest */
        TrainConceptRequest: {
            /**
             * Embedding
             * @default minilm
             * @example minilm
             */
            embedding?: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    list_concepts: {
        parameters: {
            query?: {
                /** @description only this namespace */
                namespace?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConceptList"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    create_concept: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateConceptRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConceptInfo"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    get_concept: {
        parameters: {
            query?: {
                /** @description whose model's metrics to include */
                embedding?: string;
            };
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConceptDetail"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    delete_concept: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    add_concept_examples: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddConceptExamplesRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConceptExamplesAdded"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    remove_concept_examples: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RemoveConceptExamplesRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConceptExamplesRemoved"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    train_concept: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TrainConceptRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConceptModelSummary"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    list_data_dirs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataDirList"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    list_datasets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetList"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    load_dataset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoadRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoadStarted"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    upload_dataset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["Body_upload_dataset"];
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoadStarted"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    get_dataset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetManifest"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    delete_dataset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    clio_columns: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClioList"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    clio_facet: {
        parameters: {
            query?: {
                /** @description show only clusters of at least this many conversations (at least the default, 5: a request may not lower it) */
                min_conversations?: number | null;
            };
            header?: never;
            path: {
                column: string;
                facet: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClioFacetView"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    cluster: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClusterRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnrichmentStarted"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    cluster_hierarchy: {
        parameters: {
            query: {
                /** @description a cluster column */
                column: string;
            };
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterHierarchy"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    remove_column: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                column: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    compute_clio: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ComputeClioRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnrichmentStarted"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    compute_concept: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ComputeConceptRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnrichmentStarted"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    compute_embedding: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ComputeEmbeddingRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnrichmentStarted"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    compute_keyword_index: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ComputeKeywordIndexRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnrichmentStarted"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    compute_projection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ComputeProjectionRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnrichmentStarted"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    compute_signal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ComputeSignalRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnrichmentStarted"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    count_rows: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CountRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CountResponse"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    delete_rows: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RowSelection"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RowsChanged"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    export_rows: {
        parameters: {
            query?: {
                format?: "jsonl" | "json" | "csv" | "parquet";
                /** @description column paths (repeat the parameter); default all */
                columns?: string[] | null;
                /** @description a JSON list of filters, e.g. [{"path":"a","op":"exists"}] */
                filters?: string | null;
                include_deleted?: boolean;
            };
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The exported file, as an attachment */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                    "application/vnd.apache.parquet": string;
                    "application/x-ndjson": string;
                    "text/csv": string;
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    add_labels: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddLabelsRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RowsChanged"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    remove_labels: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RemoveLabelsRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RowsChanged"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    projection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProjectionRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectionView"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    projections: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectionList"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    restore_rows: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RowSelection"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RowsChanged"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    select_groups: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SelectGroupsRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupsResult"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    select_rows: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SelectRowsRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SelectRowsResponse"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    column_stats: {
        parameters: {
            query: {
                /** @description a leaf column path, e.g. 'meta.score' */
                path: string;
            };
            header?: never;
            path: {
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ColumnStats"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    list_embeddings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmbeddingList"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    list_experiments: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExperimentList"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    create_experiment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateExperimentRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExperimentStarted"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    get_experiment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExperimentDetail"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    experiment_best_worst: {
        parameters: {
            query: {
                /** @description a model's label or address */
                model: string;
                /** @description a sub-metric ('rougeL') or metric name */
                metric: string;
                n?: number;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BestWorst"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    compare_experiment_models: {
        parameters: {
            query: {
                /** @description a model's label or address */
                a: string;
                /** @description the other model */
                b: string;
                /** @description score differences up to this count as ties */
                tie_tolerance?: number;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelComparison"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    experiment_rows: {
        parameters: {
            query: {
                /** @description a model's label or address */
                model: string;
                limit?: number;
                offset?: number;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExperimentRows"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    list_jobs: {
        parameters: {
            query?: {
                /** @description only jobs of 'namespace/name' */
                dataset?: string | null;
                status?: components["schemas"]["JobStatus"] | null;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobList"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    job_events: {
        parameters: {
            query?: {
                /** @description only jobs of 'namespace/name' */
                dataset?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A text/event-stream: one 'job' event (data: a JobInfo as JSON) per job when first seen and whenever its status, progress or message changes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    get_job: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobInfo"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    cancel_job: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobInfo"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    list_models: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelList"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    list_signals: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignalList"];
                };
            };
            /** @description Invalid input (name, path, filter, file) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or wrong bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Refused: a write on a read-only server, a path outside the data folders, or a cross-site request */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No such dataset, job or route */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Name taken, or a load of it is already running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The Host header names a host this server does not answer for */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Request failed validation */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
}
