/**
 * Generated from the portal API's OpenAPI document by test/unit/api-schema.test.ts
 * (UPDATE_API_SCHEMA=1 to regenerate). Do not edit.
 */
export interface paths {
    "/api/v1/orgs/{org}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read the organization */
        get: operations["getOrganization"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change the name or RBAC
         * @description The plan is set by the operator: a body with `plan` is refused with 403 plan_set_by_operator. Disabling RBAC is refused with 409 rbac_required_by_group_sync while groups sync is on, and with 409 last_manager when only group roles made someone a manager.
         */
        patch: operations["updateOrganization"];
        trace?: never;
    };
    "/api/v1/orgs/{org}/members/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calling member's own profile */
        get: operations["getOwnProfile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List members by userName, filtered, one page at a time */
        get: operations["listMembers"];
        put?: never;
        /**
         * Invite a member: their email becomes their userName
         * @description The member is managed by the portal. A userName already taken (case-insensitively) is refused with 409 member_already_exists.
         */
        post: operations["inviteMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/members/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a member */
        get: operations["getMember"];
        put?: never;
        post?: never;
        /**
         * Remove a member from the organization
         * @description Their personal API keys and group memberships go with them; the audit trail keeps the event. Refused like a change (409 managed_by_identity_provider, 409 last_manager).
         */
        delete: operations["removeMember"];
        options?: never;
        head?: never;
        /**
         * Change a member's role or status
         * @description Deactivating stops the member's personal API keys at once; reactivating restores them. Refused with 409 managed_by_identity_provider while the identity provider owns the member, and 409 last_manager when no active manager would remain.
         */
        patch: operations["updateMember"];
        trace?: never;
    };
    "/api/v1/orgs/{org}/groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List groups by name, one page at a time */
        get: operations["listGroups"];
        put?: never;
        /**
         * Create a group
         * @description A name already taken (case-insensitively) is refused with 409 group_already_exists; 409 rbac_disabled while RBAC is off.
         */
        post: operations["createGroup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/groups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a group */
        get: operations["getGroup"];
        put?: never;
        post?: never;
        /**
         * Delete a group; its members stay in the organization
         * @description Refused with 409 rbac_disabled while RBAC is off, and 409 managed_by_identity_provider while the identity provider owns the group. Also 409 last_manager when no active manager would remain.
         */
        delete: operations["deleteGroup"];
        options?: never;
        head?: never;
        /**
         * Rename a group or change its role
         * @description Refused with 409 rbac_disabled while RBAC is off, and 409 managed_by_identity_provider while the identity provider owns the group. Also 409 last_manager when no active manager would remain. A name already taken is refused with 409 group_already_exists.
         */
        patch: operations["updateGroup"];
        trace?: never;
    };
    "/api/v1/orgs/{org}/groups/{id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a group's members by userName, one page at a time */
        get: operations["listGroupMembers"];
        put?: never;
        /**
         * Add members to a group
         * @description Members already in the group are left as they are. Every id must be a member of the organization (else 404, nothing added). Refused with 409 rbac_disabled while RBAC is off, and 409 managed_by_identity_provider while the identity provider owns the group.
         */
        post: operations["addGroupMembers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/groups/{id}/members/{memberId}": {
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
         * Remove a member from a group
         * @description Refused with 409 rbac_disabled while RBAC is off, and 409 managed_by_identity_provider while the identity provider owns the group. Also 409 last_manager when no active manager would remain.
         */
        delete: operations["removeGroupMember"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys (masked), with when each was created, expires and was last used */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create a key; its secret is shown in this response only
         * @description A system key with the scim scope is what the HTTP Header authentication method of SCIM provisioning needs. A personal key acts as the calling member. With expiresAt, the key is refused from that time on with a 401 that says it expired.
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/api-keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a key; it is refused from the next request on */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/identity/sso": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read the SSO configuration (never the client secret) */
        get: operations["getSso"];
        /**
         * Configure the identity provider (OIDC or SAML) and enable or disable SSO
         * @description protocol "oidc" (the default) needs `oidc`: enabling needs the issuer, the client id and a client secret (sent now or already stored for the same issuer and client id), else 409 sso_incomplete. protocol "saml" needs `saml`: the IdP's sign-on URL and signing certificate. The other protocol's settings are kept. SCIM provisioning relies on SSO: disabling it while SCIM is on is refused with 409 sso_required_by_scim.
         */
        put: operations["updateSso"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/identity/sso/tests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a test sign-in with the saved SSO settings (SSO on or off)
         * @description Returns the URL to open in the browser of the manager who starts it (it needs their session cookie): it redirects to the identity provider, whose answer goes through the same checks as a sign-in, is recorded in this test and signs nobody in. Poll GET …/sso/tests/{testId} for the outcome. Settings that cannot make a request (no issuer, client id or secret; no SAML sign-on URL or certificate) are refused with 409 sso_incomplete.
         */
        post: operations["startSsoTest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/identity/sso/tests/{testId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A test sign-in's state and outcome
         * @description Only the member who started the test sees it; anyone else gets 404.
         */
        get: operations["getSsoTest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/identity/provisioning": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read the provisioning settings, with the SCIM endpoint URL and the OAuth fields */
        get: operations["getProvisioning"];
        /**
         * Save the provisioning settings
         * @description Refused with 409 and one of these codes, checked in this order: scim_requires_identity_provider_mode, scim_requires_enterprise_plan, scim_requires_sso, scim_requires_scim_key (HTTP Header method), group_sync_requires_rbac, group_sync_requires_confirmation. Choosing the OAuth 2.0 method for the first time creates the OAuth client: its secret is in this response only.
         */
        put: operations["updateProvisioning"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/identity/provisioning/oauth-client-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace the OAuth client's secrets at once; the new one is in this response only
         * @description For a secret that may have leaked: every previous secret stops working at once, and so do the access tokens obtained with them and every refresh token. To rotate without a gap, use POST .../oauth-client-secrets (a second secret) and then DELETE the old one. Needs the OAuth 2.0 method and its client: else 409 oauth_not_configured.
         */
        post: operations["rotateOAuthClientSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/identity/provisioning/oauth-client-secrets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the OAuth client's live secrets (never the secrets themselves) */
        get: operations["listOAuthClientSecrets"];
        put?: never;
        /**
         * Add a second client secret (rotation with overlap); it is in this response only
         * @description Both secrets work until one is revoked. A client holds at most 2 live (not revoked, not expired) secrets: a third is refused with 409 too_many_client_secrets. Needs the OAuth 2.0 method and its client: else 409 oauth_not_configured.
         */
        post: operations["createOAuthClientSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/identity/provisioning/oauth-client-secrets/{secretId}": {
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
         * Revoke one client secret; it and the access tokens obtained with it are refused from now on
         * @description Refresh tokens stay valid: they belong to the client, not to one secret, so an identity provider that moved to the other secret keeps its grant.
         */
        delete: operations["revokeOAuthClientSecret"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/identity/provisioning/oauth-authorizations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve or deny an identity provider's OAuth authorization request
         * @description Takes the request that GET /oauth/{org}/authorize checked (its "approval.body"). Approving issues a single-use authorization code (5 minutes) bound to the PKCE challenge; denying returns access_denied. A request whose client or redirect URI is not this organization's is refused with 400 invalid_authorization_request.
         */
        post: operations["decideOAuthAuthorization"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/audit-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List audit events, newest first */
        get: operations["listAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/provisioning/activity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List SCIM requests and their outcomes, newest first
         * @description Every SCIM request that reached this organization (successes and refusals), kept for ROSTER_ACTIVITY_RETENTION_DAYS. Recorded within about a second of the request.
         */
        get: operations["listProvisioningActivity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/provisioning/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Is provisioning working, and if not, what to change */
        get: operations["getProvisioningHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/provisioning/activity/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Export the provisioning activity as NDJSON or CSV */
        get: operations["exportProvisioningActivity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/audit-events/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Export the audit trail as NDJSON or CSV */
        get: operations["exportAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhook endpoints */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Create a webhook endpoint; its signing secret is shown in this response only
         * @description Events from now on are POSTed to the URL, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature) with the secret; verify them with the standardwebhooks library. To send older events, replay from a sequence number.
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/webhooks/{webhookId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a webhook endpoint (never its secret) */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /** Delete a webhook endpoint with its deliveries; nothing more is sent to it */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        /**
         * Change the URL, description, event-type filter, or enable or disable it
         * @description Events that happen while an endpoint is disabled are sent once it is enabled again; enabling restarts the retry window of what is pending.
         */
        patch: operations["updateWebhook"];
        trace?: never;
    };
    "/api/v1/orgs/{org}/webhooks/{webhookId}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace the signing secret; the new one is shown in this response only
         * @description Deliveries from now on, retries included, are signed with the new secret only: update the consumer at once.
         */
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/webhooks/{webhookId}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List an endpoint's deliveries, newest first, each with every attempt */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/webhooks/{webhookId}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send one event to the endpoint again, whatever its filter and earlier deliveries */
        post: operations["redeliverWebhookEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/webhooks/{webhookId}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send every event from a sequence number on again (those the filter takes)
         * @description Events still kept (the retention) from fromSequence on are scheduled again, in sequence order; consumers de-duplicate by webhook-id or sequence.
         */
        post: operations["replayWebhookEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read provisioning events in sequence order, after a cursor
         * @description Every change to members, groups, memberships and the identity configuration, in the order it committed, kept for ROSTER_EVENT_RETENTION_DAYS (30). Start with after=0; pass each page’s `next` as the following `after`. An empty page returns `next` equal to `after`: poll again later with it. A first sequence above after+1 means the events in between are past retention.
         */
        get: operations["listEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/provisioning/adoption-preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Before "Provision existing users" is saved: who the identity provider adopts, who conflicts
         * @description Classifies the organization's portal-managed members by how the identity provider's userName (an email address) meets theirs, with the portal groups an IdP group of the same name adopts under group sync. Reads only; counts cover every member, lists the first `limit` of each.
         */
        get: operations["getAdoptionPreview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/provisioning/health/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Requests and failures over time
         * @description The last `hours` in 48 buckets (e.g. 30 minutes each over a day), oldest first, empty ones included.
         */
        get: operations["getProvisioningTimeline"];
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
        Error: {
            error: {
                /** @description Stable, machine-readable; e.g. scim_requires_enterprise_plan */
                code: string;
                /** @description What went wrong and what to do about it */
                message: string;
                details?: unknown;
            };
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
    getOrganization: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The organization */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        slug: string;
                        name: string;
                        /** @enum {string} */
                        plan: "free" | "team" | "enterprise";
                        rbacEnabled: boolean;
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        createdAt: string;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateOrganization: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    /**
                     * @description Refused with 403 plan_set_by_operator: the operator sets the plan.
                     * @enum {string}
                     */
                    plan?: "free" | "team" | "enterprise";
                    rbacEnabled?: boolean;
                };
            };
        };
        responses: {
            /** @description The updated organization */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        slug: string;
                        name: string;
                        /** @enum {string} */
                        plan: "free" | "team" | "enterprise";
                        rbacEnabled: boolean;
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        createdAt: string;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOwnProfile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The profile */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        userName: string;
                        displayName: string | null;
                        givenName: string | null;
                        familyName: string | null;
                        emails: string[];
                        /**
                         * @description The member's own role
                         * @enum {string}
                         */
                        role: "basic" | "manager";
                        /**
                         * @description The role they act with: manager also through a group with that role (RBAC)
                         * @enum {string}
                         */
                        effectiveRole: "basic" | "manager";
                        /** @enum {string} */
                        status: "active" | "deactivated";
                        /**
                         * @description scim: provisioned by the identity provider
                         * @enum {string}
                         */
                        managedBy: "portal" | "scim";
                        /** @description True while the identity provider owns the member (SCIM on): change it there */
                        readOnly: boolean;
                        /** @description The identity provider and credential that last changed it through SCIM; null for portal-managed rows */
                        provisionedBy: {
                            /** @description entra, ping, or the User-Agent as sent; null when not identified */
                            idp: string | null;
                            credential: {
                                /** @enum {string} */
                                type: "api_key" | "oauth_client";
                                id: string;
                                /** @description The API key's name; null for the OAuth client */
                                name: string | null;
                            } | null;
                            /**
                             * Format: date-time
                             * @description When the identity provider last changed it
                             */
                            at: string;
                        } | null;
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        createdAt: string;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listMembers: {
        parameters: {
            query?: {
                status?: "active" | "deactivated";
                role?: "basic" | "manager";
                managedBy?: "portal" | "scim";
                q?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of members */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            userName: string;
                            displayName: string | null;
                            givenName: string | null;
                            familyName: string | null;
                            emails: string[];
                            /**
                             * @description The member's own role
                             * @enum {string}
                             */
                            role: "basic" | "manager";
                            /**
                             * @description The role they act with: manager also through a group with that role (RBAC)
                             * @enum {string}
                             */
                            effectiveRole: "basic" | "manager";
                            /** @enum {string} */
                            status: "active" | "deactivated";
                            /**
                             * @description scim: provisioned by the identity provider
                             * @enum {string}
                             */
                            managedBy: "portal" | "scim";
                            /** @description True while the identity provider owns the member (SCIM on): change it there */
                            readOnly: boolean;
                            /** @description The identity provider and credential that last changed it through SCIM; null for portal-managed rows */
                            provisionedBy: {
                                /** @description entra, ping, or the User-Agent as sent; null when not identified */
                                idp: string | null;
                                credential: {
                                    /** @enum {string} */
                                    type: "api_key" | "oauth_client";
                                    id: string;
                                    /** @description The API key's name; null for the OAuth client */
                                    name: string | null;
                                } | null;
                                /**
                                 * Format: date-time
                                 * @description When the identity provider last changed it
                                 */
                                at: string;
                            } | null;
                            /**
                             * Format: date-time
                             * @description ISO 8601 timestamp
                             */
                            createdAt: string;
                        }[];
                        /** @description Pass as cursor for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    inviteMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    givenName?: string;
                    familyName?: string;
                    displayName?: string;
                    /**
                     * @default basic
                     * @enum {string}
                     */
                    role?: "basic" | "manager";
                };
            };
        };
        responses: {
            /** @description The new member */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        userName: string;
                        displayName: string | null;
                        givenName: string | null;
                        familyName: string | null;
                        emails: string[];
                        /**
                         * @description The member's own role
                         * @enum {string}
                         */
                        role: "basic" | "manager";
                        /**
                         * @description The role they act with: manager also through a group with that role (RBAC)
                         * @enum {string}
                         */
                        effectiveRole: "basic" | "manager";
                        /** @enum {string} */
                        status: "active" | "deactivated";
                        /**
                         * @description scim: provisioned by the identity provider
                         * @enum {string}
                         */
                        managedBy: "portal" | "scim";
                        /** @description True while the identity provider owns the member (SCIM on): change it there */
                        readOnly: boolean;
                        /** @description The identity provider and credential that last changed it through SCIM; null for portal-managed rows */
                        provisionedBy: {
                            /** @description entra, ping, or the User-Agent as sent; null when not identified */
                            idp: string | null;
                            credential: {
                                /** @enum {string} */
                                type: "api_key" | "oauth_client";
                                id: string;
                                /** @description The API key's name; null for the OAuth client */
                                name: string | null;
                            } | null;
                            /**
                             * Format: date-time
                             * @description When the identity provider last changed it
                             */
                            at: string;
                        } | null;
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        createdAt: string;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The member */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        userName: string;
                        displayName: string | null;
                        givenName: string | null;
                        familyName: string | null;
                        emails: string[];
                        /**
                         * @description The member's own role
                         * @enum {string}
                         */
                        role: "basic" | "manager";
                        /**
                         * @description The role they act with: manager also through a group with that role (RBAC)
                         * @enum {string}
                         */
                        effectiveRole: "basic" | "manager";
                        /** @enum {string} */
                        status: "active" | "deactivated";
                        /**
                         * @description scim: provisioned by the identity provider
                         * @enum {string}
                         */
                        managedBy: "portal" | "scim";
                        /** @description True while the identity provider owns the member (SCIM on): change it there */
                        readOnly: boolean;
                        /** @description The identity provider and credential that last changed it through SCIM; null for portal-managed rows */
                        provisionedBy: {
                            /** @description entra, ping, or the User-Agent as sent; null when not identified */
                            idp: string | null;
                            credential: {
                                /** @enum {string} */
                                type: "api_key" | "oauth_client";
                                id: string;
                                /** @description The API key's name; null for the OAuth client */
                                name: string | null;
                            } | null;
                            /**
                             * Format: date-time
                             * @description When the identity provider last changed it
                             */
                            at: string;
                        } | null;
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        createdAt: string;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    removeMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    role?: "basic" | "manager";
                    /** @enum {string} */
                    status?: "active" | "deactivated";
                };
            };
        };
        responses: {
            /** @description The updated member */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        userName: string;
                        displayName: string | null;
                        givenName: string | null;
                        familyName: string | null;
                        emails: string[];
                        /**
                         * @description The member's own role
                         * @enum {string}
                         */
                        role: "basic" | "manager";
                        /**
                         * @description The role they act with: manager also through a group with that role (RBAC)
                         * @enum {string}
                         */
                        effectiveRole: "basic" | "manager";
                        /** @enum {string} */
                        status: "active" | "deactivated";
                        /**
                         * @description scim: provisioned by the identity provider
                         * @enum {string}
                         */
                        managedBy: "portal" | "scim";
                        /** @description True while the identity provider owns the member (SCIM on): change it there */
                        readOnly: boolean;
                        /** @description The identity provider and credential that last changed it through SCIM; null for portal-managed rows */
                        provisionedBy: {
                            /** @description entra, ping, or the User-Agent as sent; null when not identified */
                            idp: string | null;
                            credential: {
                                /** @enum {string} */
                                type: "api_key" | "oauth_client";
                                id: string;
                                /** @description The API key's name; null for the OAuth client */
                                name: string | null;
                            } | null;
                            /**
                             * Format: date-time
                             * @description When the identity provider last changed it
                             */
                            at: string;
                        } | null;
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        createdAt: string;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listGroups: {
        parameters: {
            query?: {
                q?: string;
                managedBy?: "portal" | "scim";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of groups */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            displayName: string;
                            /** @description manager: every member of the group is a manager */
                            role: "manager" | null;
                            /**
                             * @description scim: provisioned by the identity provider
                             * @enum {string}
                             */
                            managedBy: "portal" | "scim";
                            /** @description True while the identity provider owns the group (SCIM with group sync on): change it there */
                            readOnly: boolean;
                            /** @description The identity provider and credential that last changed it through SCIM; null for portal-managed rows */
                            provisionedBy: {
                                /** @description entra, ping, or the User-Agent as sent; null when not identified */
                                idp: string | null;
                                credential: {
                                    /** @enum {string} */
                                    type: "api_key" | "oauth_client";
                                    id: string;
                                    /** @description The API key's name; null for the OAuth client */
                                    name: string | null;
                                } | null;
                                /**
                                 * Format: date-time
                                 * @description When the identity provider last changed it
                                 */
                                at: string;
                            } | null;
                            /**
                             * Format: date-time
                             * @description ISO 8601 timestamp
                             */
                            createdAt: string;
                        }[];
                        /** @description Pass as cursor for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    displayName: string;
                    /**
                     * @description manager: every member of the group is a manager
                     * @default null
                     */
                    role?: "manager" | null;
                };
            };
        };
        responses: {
            /** @description The new group */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        displayName: string;
                        /** @description manager: every member of the group is a manager */
                        role: "manager" | null;
                        /**
                         * @description scim: provisioned by the identity provider
                         * @enum {string}
                         */
                        managedBy: "portal" | "scim";
                        /** @description True while the identity provider owns the group (SCIM with group sync on): change it there */
                        readOnly: boolean;
                        /** @description The identity provider and credential that last changed it through SCIM; null for portal-managed rows */
                        provisionedBy: {
                            /** @description entra, ping, or the User-Agent as sent; null when not identified */
                            idp: string | null;
                            credential: {
                                /** @enum {string} */
                                type: "api_key" | "oauth_client";
                                id: string;
                                /** @description The API key's name; null for the OAuth client */
                                name: string | null;
                            } | null;
                            /**
                             * Format: date-time
                             * @description When the identity provider last changed it
                             */
                            at: string;
                        } | null;
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        createdAt: string;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The group */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        displayName: string;
                        /** @description manager: every member of the group is a manager */
                        role: "manager" | null;
                        /**
                         * @description scim: provisioned by the identity provider
                         * @enum {string}
                         */
                        managedBy: "portal" | "scim";
                        /** @description True while the identity provider owns the group (SCIM with group sync on): change it there */
                        readOnly: boolean;
                        /** @description The identity provider and credential that last changed it through SCIM; null for portal-managed rows */
                        provisionedBy: {
                            /** @description entra, ping, or the User-Agent as sent; null when not identified */
                            idp: string | null;
                            credential: {
                                /** @enum {string} */
                                type: "api_key" | "oauth_client";
                                id: string;
                                /** @description The API key's name; null for the OAuth client */
                                name: string | null;
                            } | null;
                            /**
                             * Format: date-time
                             * @description When the identity provider last changed it
                             */
                            at: string;
                        } | null;
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        createdAt: string;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    displayName?: string;
                    /** @description manager: every member of the group is a manager */
                    role?: "manager" | null;
                };
            };
        };
        responses: {
            /** @description The updated group */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        displayName: string;
                        /** @description manager: every member of the group is a manager */
                        role: "manager" | null;
                        /**
                         * @description scim: provisioned by the identity provider
                         * @enum {string}
                         */
                        managedBy: "portal" | "scim";
                        /** @description True while the identity provider owns the group (SCIM with group sync on): change it there */
                        readOnly: boolean;
                        /** @description The identity provider and credential that last changed it through SCIM; null for portal-managed rows */
                        provisionedBy: {
                            /** @description entra, ping, or the User-Agent as sent; null when not identified */
                            idp: string | null;
                            credential: {
                                /** @enum {string} */
                                type: "api_key" | "oauth_client";
                                id: string;
                                /** @description The API key's name; null for the OAuth client */
                                name: string | null;
                            } | null;
                            /**
                             * Format: date-time
                             * @description When the identity provider last changed it
                             */
                            at: string;
                        } | null;
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        createdAt: string;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listGroupMembers: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                org: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the members */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            userName: string;
                            displayName: string | null;
                            givenName: string | null;
                            familyName: string | null;
                            emails: string[];
                            /**
                             * @description The member's own role
                             * @enum {string}
                             */
                            role: "basic" | "manager";
                            /**
                             * @description The role they act with: manager also through a group with that role (RBAC)
                             * @enum {string}
                             */
                            effectiveRole: "basic" | "manager";
                            /** @enum {string} */
                            status: "active" | "deactivated";
                            /**
                             * @description scim: provisioned by the identity provider
                             * @enum {string}
                             */
                            managedBy: "portal" | "scim";
                            /** @description True while the identity provider owns the member (SCIM on): change it there */
                            readOnly: boolean;
                            /** @description The identity provider and credential that last changed it through SCIM; null for portal-managed rows */
                            provisionedBy: {
                                /** @description entra, ping, or the User-Agent as sent; null when not identified */
                                idp: string | null;
                                credential: {
                                    /** @enum {string} */
                                    type: "api_key" | "oauth_client";
                                    id: string;
                                    /** @description The API key's name; null for the OAuth client */
                                    name: string | null;
                                } | null;
                                /**
                                 * Format: date-time
                                 * @description When the identity provider last changed it
                                 */
                                at: string;
                            } | null;
                            /**
                             * Format: date-time
                             * @description ISO 8601 timestamp
                             */
                            createdAt: string;
                        }[];
                        /** @description Pass as cursor for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    addGroupMembers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    memberIds: string[];
                };
            };
        };
        responses: {
            /** @description The ids newly added */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        added: string[];
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    removeGroupMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                id: string;
                memberId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed from the group */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The keys, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        apiKeys: {
                            id: string;
                            name: string;
                            /** @enum {string} */
                            kind: "system" | "personal";
                            scopes: string[];
                            /** @description The member a personal key acts as */
                            memberId: string | null;
                            /** @description Identifies the key without revealing it */
                            maskedKey: string;
                            /**
                             * Format: date-time
                             * @description ISO 8601 timestamp
                             */
                            createdAt: string;
                            /** @description When it stops working; null: never */
                            expiresAt: string | null;
                            /** @description Last accepted request with it (updated at most once a minute) */
                            lastUsedAt: string | null;
                            revokedAt: string | null;
                        }[];
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    kind: "system" | "personal";
                    name: string;
                    scopes?: ("scim" | "portal")[];
                    /**
                     * Format: date-time
                     * @description When it stops working (ISO 8601, in the future); omitted: it never expires
                     */
                    expiresAt?: string;
                };
            };
        };
        responses: {
            /** @description The key, with its secret */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        /** @enum {string} */
                        kind: "system" | "personal";
                        scopes: string[];
                        /** @description The member a personal key acts as */
                        memberId: string | null;
                        /** @description Identifies the key without revealing it */
                        maskedKey: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        createdAt: string;
                        /** @description When it stops working; null: never */
                        expiresAt: string | null;
                        /** @description Last accepted request with it (updated at most once a minute) */
                        lastUsedAt: string | null;
                        revokedAt: string | null;
                        /** @description Shown once */
                        token: string;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSso: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The SSO configuration */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        enabled: boolean;
                        /**
                         * @description How members sign in: OpenID Connect or SAML 2.0
                         * @enum {string}
                         */
                        protocol: "oidc" | "saml";
                        /** @description Where members sign in: it redirects to the organization's identity provider */
                        signInUrl: string;
                        /** @description OIDC: the redirect URI to register for Roster's client at the OpenID provider (the sign-in callback) */
                        redirectUri: string;
                        /** @description SAML: Roster's service provider metadata; its URL is also Roster's entity id */
                        samlMetadataUrl: string;
                        /** @description SAML: the assertion consumer service URL (Reply URL) to register at the IdP */
                        samlAcsUrl: string;
                        oidc: {
                            issuer: string | null;
                            clientId: string | null;
                            /**
                             * @description The one ID token claim matched against the member's userName: email (default; only with email_verified true), preferred_username or upn (Entra ID). Omit to keep the stored one.
                             * @enum {string}
                             */
                            userNameClaim: "email" | "preferred_username" | "upn";
                            /** @description Whether a client secret is stored; the secret itself is write-only */
                            clientSecretSet: boolean;
                        };
                        saml: {
                            entryPoint: string | null;
                            idpEntityId: string | null;
                            /** @description The stored IdP certificate's SHA-256 fingerprint */
                            certificateSha256: string | null;
                            /** @description The SAML attribute matched against the member's userName; null: the NameID */
                            userNameAttribute: string | null;
                        };
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateSso: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    enabled: boolean;
                    /**
                     * @default oidc
                     * @enum {string}
                     */
                    protocol?: "oidc" | "saml";
                    oidc?: {
                        /** @description The OIDC issuer: an https URL without query or fragment, at a public address (plain http and private addresses only with ROSTER_ENV=development) */
                        issuer: string;
                        clientId: string;
                        /** @description Write-only. Omit to keep the stored secret; it is dropped when the issuer or client id changes. */
                        clientSecret?: string;
                        /**
                         * @description The one ID token claim matched against the member's userName: email (default; only with email_verified true), preferred_username or upn (Entra ID). Omit to keep the stored one.
                         * @enum {string}
                         */
                        userNameClaim?: "email" | "preferred_username" | "upn";
                    };
                    saml?: {
                        /** @description The IdP's SAML sign-on URL (HTTP-Redirect binding) */
                        entryPoint: string;
                        /** @description The IdP's entity id (its responses' Issuer) */
                        idpEntityId?: string;
                        /** @description The IdP's signing certificate, PEM or base64 */
                        certificate: string;
                        /** @description The one attribute (its Name, e.g. http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress) matched against the member's userName; null: the NameID (the default). Omit to keep the stored one. */
                        userNameAttribute?: string | null;
                    };
                };
            };
        };
        responses: {
            /** @description The saved SSO configuration */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        enabled: boolean;
                        /**
                         * @description How members sign in: OpenID Connect or SAML 2.0
                         * @enum {string}
                         */
                        protocol: "oidc" | "saml";
                        /** @description Where members sign in: it redirects to the organization's identity provider */
                        signInUrl: string;
                        /** @description OIDC: the redirect URI to register for Roster's client at the OpenID provider (the sign-in callback) */
                        redirectUri: string;
                        /** @description SAML: Roster's service provider metadata; its URL is also Roster's entity id */
                        samlMetadataUrl: string;
                        /** @description SAML: the assertion consumer service URL (Reply URL) to register at the IdP */
                        samlAcsUrl: string;
                        oidc: {
                            issuer: string | null;
                            clientId: string | null;
                            /**
                             * @description The one ID token claim matched against the member's userName: email (default; only with email_verified true), preferred_username or upn (Entra ID). Omit to keep the stored one.
                             * @enum {string}
                             */
                            userNameClaim: "email" | "preferred_username" | "upn";
                            /** @description Whether a client secret is stored; the secret itself is write-only */
                            clientSecretSet: boolean;
                        };
                        saml: {
                            entryPoint: string | null;
                            idpEntityId: string | null;
                            /** @description The stored IdP certificate's SHA-256 fingerprint */
                            certificateSha256: string | null;
                            /** @description The SAML attribute matched against the member's userName; null: the NameID */
                            userNameAttribute: string | null;
                        };
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    startSsoTest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The test, pending, and where to open it */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        testId: string;
                        /** @description Open in the manager’s browser: redirects to the identity provider */
                        url: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        expiresAt: string;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSsoTest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                testId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The test */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        protocol: "oidc" | "saml";
                        /**
                         * @description pending until the identity provider answers (10 minutes at most, then expired)
                         * @enum {string}
                         */
                        status: "pending" | "succeeded" | "failed" | "expired";
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        startedAt: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        expiresAt: string;
                        completedAt: string | null;
                        /** @description succeeded: who the identity provider said signed in */
                        identity: {
                            issuer: string;
                            subject: string;
                            /** @description The value of the configured claim or attribute */
                            userName: string | null;
                            /** @description Which claim or attribute it came from */
                            userNameSource: string;
                            email: string | null;
                            /** @description The member this identity signs in as once SSO is on */
                            signsInAs: string | null;
                            /** @description Why it would not sign anyone in, when it would not */
                            refusal: string | null;
                        } | null;
                        /** @description failed: the refusal, in the identity provider's or the library's words */
                        error: {
                            code: string;
                            message: string;
                        } | null;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProvisioning: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The provisioning settings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        mode: "manual" | "identity_provider";
                        scimEnabled: boolean;
                        /** @enum {string} */
                        authMethod: "http_header" | "oauth2";
                        provisionExistingUsers: boolean;
                        syncGroups: boolean;
                        /** @description The SCIM base URL to copy into the IdP (Entra's Tenant URL) */
                        scimEndpointUrl: string;
                        /** @description Where the system key with the scim scope of the HTTP Header method is made */
                        apiKeysUrl: string;
                        /** @description With the OAuth 2.0 method: what the IdP needs */
                        oauth: {
                            /** @description The access token endpoint (client-credentials grant) */
                            tokenEndpoint: string;
                            /** @description The authorization endpoint (authorization-code grant) */
                            authorizationEndpoint: string;
                            clientId: string;
                            /** @description Registered redirect URIs of the authorization-code grant */
                            redirectUris: string[];
                        } | null;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateProvisioning: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    mode: "manual" | "identity_provider";
                    scimEnabled: boolean;
                    /** @enum {string} */
                    authMethod: "http_header" | "oauth2";
                    provisionExistingUsers: boolean;
                    syncGroups: boolean;
                    /** @description Must be true when turning syncGroups on: group management passes to the IdP */
                    confirmSyncGroups?: boolean;
                    /** @description Where the authorization-code grant may send codes (the IdP's callback URL); unchanged when omitted */
                    oauthRedirectUris?: string[];
                };
            };
        };
        responses: {
            /** @description The saved settings; oauth.clientSecret only when the OAuth client was just created */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        mode: "manual" | "identity_provider";
                        scimEnabled: boolean;
                        /** @enum {string} */
                        authMethod: "http_header" | "oauth2";
                        provisionExistingUsers: boolean;
                        syncGroups: boolean;
                        /** @description The SCIM base URL to copy into the IdP (Entra's Tenant URL) */
                        scimEndpointUrl: string;
                        /** @description Where the system key with the scim scope of the HTTP Header method is made */
                        apiKeysUrl: string;
                        oauth: {
                            /** @description The access token endpoint (client-credentials grant) */
                            tokenEndpoint: string;
                            /** @description The authorization endpoint (authorization-code grant) */
                            authorizationEndpoint: string;
                            clientId: string;
                            /** @description Registered redirect URIs of the authorization-code grant */
                            redirectUris: string[];
                            /** @description Shown in this response only; store it in the identity provider now */
                            clientSecret?: string;
                        } | null;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotateOAuthClientSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The client id and its new secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        clientId: string;
                        /** @description Shown in this response only; store it in the identity provider now */
                        clientSecret: string;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listOAuthClientSecrets: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The secrets that are not revoked, oldest first (expired ones included) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        clientId: string | null;
                        secrets: {
                            id: string;
                            /**
                             * Format: date-time
                             * @description ISO 8601 timestamp
                             */
                            createdAt: string;
                            /** @description When it stops working; null: never */
                            expiresAt: string | null;
                            expired: boolean;
                            /** @description Last successful client authentication with it (updated at most once a minute) */
                            lastUsedAt: string | null;
                        }[];
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createOAuthClientSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: date-time
                     * @description When it stops working (ISO 8601, in the future); omitted: it never expires
                     */
                    expiresAt?: string;
                };
            };
        };
        responses: {
            /** @description The new secret, with its value */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        createdAt: string;
                        /** @description When it stops working; null: never */
                        expiresAt: string | null;
                        expired: boolean;
                        /** @description Last successful client authentication with it (updated at most once a minute) */
                        lastUsedAt: string | null;
                        clientId: string;
                        /** @description Shown in this response only; store it in the identity provider now */
                        clientSecret: string;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeOAuthClientSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                secretId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    decideOAuthAuthorization: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    responseType: string;
                    clientId: string;
                    redirectUri?: string;
                    scope?: string;
                    state?: string;
                    codeChallenge: string;
                    codeChallengeMethod: string;
                    /** @enum {string} */
                    decision: "approve" | "deny";
                };
            };
        };
        responses: {
            /** @description Where to send the browser: the redirect URI with the code (or the error) and the state */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        redirectTo: string;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAuditEvents: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
                actor?: string;
                action?: string;
                targetType?: string;
                targetId?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        events: {
                            id: string;
                            /**
                             * Format: date-time
                             * @description ISO 8601 timestamp
                             */
                            occurredAt: string;
                            actor: {
                                /** @enum {string} */
                                type: "member" | "api_key" | "oauth_client" | "system";
                                id: string | null;
                            };
                            /** @description The identity provider behind a provisioning change */
                            idp: string | null;
                            /** @description e.g. organization.updated, api_key.created, member.deactivated */
                            action: string;
                            target: {
                                type: string;
                                id: string;
                            } | null;
                            changes: {
                                [key: string]: unknown;
                            } | null;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listProvisioningActivity: {
        parameters: {
            query?: {
                outcome?: "succeeded" | "failed";
                status?: number;
                resourceType?: string;
                credential?: string;
                idp?: string;
                from?: string;
                to?: string;
                requestId?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of requests */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        activity: {
                            id: string;
                            /**
                             * Format: date-time
                             * @description ISO 8601 timestamp
                             */
                            at: string;
                            /** @description The X-Request-Id of the request (the IdP may show it too) */
                            requestId: string;
                            /** @description The API key or OAuth client; null when the request was refused before one was accepted */
                            credential: {
                                /** @enum {string} */
                                type: "api_key" | "oauth_client";
                                id: string;
                            } | null;
                            /** @description entra, ping, or the User-Agent as sent */
                            idp: string | null;
                            method: string;
                            resourceType: string | null;
                            resourceId: string | null;
                            status: number;
                            /** @enum {string} */
                            outcome: "succeeded" | "failed";
                            scimType: string | null;
                            /** @description The SCIM error detail the IdP was given */
                            detail: string | null;
                            durationMs: number;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProvisioningHealth: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The provisioning health */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description failing: more than half of the requests of the last 80 minutes (two Entra ID cycles) failed, or a blocking refusal (see failureKinds) of that time has had no success of its kind since; degraded: more than 5% failed; idle: no request for 80 minutes; never_connected: no request recorded
                         * @enum {string}
                         */
                        state: "healthy" | "degraded" | "failing" | "idle" | "never_connected";
                        /** @description The answering process's activity recording; null where this process records none */
                        recording: {
                            enabled: boolean;
                            /** @description Requests waiting to be recorded */
                            queued: number;
                            /** @description Requests this process could not record since it started (database unreachable): the counts above miss them */
                            dropped: number;
                        } | null;
                        lastRequestAt: string | null;
                        lastSuccessAt: string | null;
                        lastFailureAt: string | null;
                        lastHour: {
                            requests: number;
                            failures: number;
                        };
                        lastDay: {
                            requests: number;
                            failures: number;
                        };
                        credentials: {
                            /** @description null: requests refused before a credential was accepted (e.g. the other authentication method) */
                            credential: {
                                /** @enum {string} */
                                type: "api_key" | "oauth_client";
                                id: string;
                            } | null;
                            /** @description The API key's name; null for the OAuth client and for none */
                            name: string | null;
                            /**
                             * @description failing: more than half of the requests of the last 80 minutes (two Entra ID cycles) failed, or a blocking refusal (see failureKinds) of that time has had no success of its kind since; degraded: more than 5% failed; idle: no request for 80 minutes; never_connected: no request recorded
                             * @enum {string}
                             */
                            state: "healthy" | "degraded" | "failing" | "idle" | "never_connected";
                            lastRequestAt: string | null;
                            lastSuccessAt: string | null;
                            lastFailureAt: string | null;
                            lastHour: {
                                requests: number;
                                failures: number;
                            };
                            lastDay: {
                                requests: number;
                                failures: number;
                            };
                        }[];
                        /** @description Failures of the last day by kind, the most frequent first */
                        failureKinds: {
                            status: number;
                            scimType: string | null;
                            /** @description The SCIM error detail with values, ids and numbers left out */
                            detail: string;
                            /** @description Over the last day */
                            count: number;
                            /**
                             * Format: date-time
                             * @description ISO 8601 timestamp
                             */
                            lastAt: string;
                            /** @description The latest request of this kind (see the activity list) */
                            exampleRequestId: string;
                            /** @description What to change, when Roster knows */
                            hint: string | null;
                            /** @description Refuses every request of its kind until a setting changes (e.g. group sync off): the state is failing until one succeeds */
                            blocking: boolean;
                        }[];
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    exportProvisioningActivity: {
        parameters: {
            query?: {
                outcome?: "succeeded" | "failed";
                status?: number;
                resourceType?: string;
                credential?: string;
                idp?: string;
                from?: string;
                to?: string;
                requestId?: string;
                format?: "ndjson" | "csv";
            };
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rows, newest first, streamed (NDJSON or CSV with a header line) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    exportAuditEvents: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
                action?: string;
                format?: "ndjson" | "csv";
            };
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rows, newest first, streamed (NDJSON or CSV with a header line) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoints, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        webhooks: {
                            id: string;
                            url: string;
                            description: string;
                            /** @description The event types sent; empty: every type */
                            eventTypes: string[];
                            enabled: boolean;
                            /** @description Why it is disabled: by a manager, or after every delivery failed for the retry window */
                            disabledReason: string | null;
                            /** @description Since when every attempt has failed; null after a success */
                            failingSince: string | null;
                            /** @description The last event sequence scheduled for this endpoint */
                            lastScheduledSequence: number;
                            /**
                             * Format: date-time
                             * @description ISO 8601 timestamp
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description ISO 8601 timestamp
                             */
                            updatedAt: string;
                        }[];
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: uri
                     * @description Where events are POSTed: https, a public address (plain http and private addresses only in development)
                     */
                    url: string;
                    /** @default  */
                    description?: string;
                    /** @description Only these event types are sent; empty or omitted: every type */
                    eventTypes?: ("member.created" | "member.updated" | "member.deactivated" | "member.reactivated" | "member.deleted" | "member.role_changed" | "group.created" | "group.updated" | "group.deleted" | "group.member_added" | "group.member_removed" | "identity.sso_updated" | "identity.provisioning_updated")[];
                    /** @default true */
                    enabled?: boolean;
                };
            };
        };
        responses: {
            /** @description The endpoint, with its signing secret */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        url: string;
                        description: string;
                        /** @description The event types sent; empty: every type */
                        eventTypes: string[];
                        enabled: boolean;
                        /** @description Why it is disabled: by a manager, or after every delivery failed for the retry window */
                        disabledReason: string | null;
                        /** @description Since when every attempt has failed; null after a success */
                        failingSince: string | null;
                        /** @description The last event sequence scheduled for this endpoint */
                        lastScheduledSequence: number;
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        updatedAt: string;
                        /** @description whsec_…; shown once */
                        secret: string;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                webhookId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        url: string;
                        description: string;
                        /** @description The event types sent; empty: every type */
                        eventTypes: string[];
                        enabled: boolean;
                        /** @description Why it is disabled: by a manager, or after every delivery failed for the retry window */
                        disabledReason: string | null;
                        /** @description Since when every attempt has failed; null after a success */
                        failingSince: string | null;
                        /** @description The last event sequence scheduled for this endpoint */
                        lastScheduledSequence: number;
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        updatedAt: string;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                webhookId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                webhookId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: uri
                     * @description Where events are POSTed: https, a public address (plain http and private addresses only in development)
                     */
                    url?: string;
                    description?: string;
                    /** @description Only these event types are sent; empty or omitted: every type */
                    eventTypes?: ("member.created" | "member.updated" | "member.deactivated" | "member.reactivated" | "member.deleted" | "member.role_changed" | "group.created" | "group.updated" | "group.deleted" | "group.member_added" | "group.member_removed" | "identity.sso_updated" | "identity.provisioning_updated")[];
                    /** @description true also restarts the retry window of what is pending */
                    enabled?: boolean;
                };
            };
        };
        responses: {
            /** @description The endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        url: string;
                        description: string;
                        /** @description The event types sent; empty: every type */
                        eventTypes: string[];
                        enabled: boolean;
                        /** @description Why it is disabled: by a manager, or after every delivery failed for the retry window */
                        disabledReason: string | null;
                        /** @description Since when every attempt has failed; null after a success */
                        failingSince: string | null;
                        /** @description The last event sequence scheduled for this endpoint */
                        lastScheduledSequence: number;
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 timestamp
                         */
                        updatedAt: string;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                webhookId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description whsec_…; shown once */
                        secret: string;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                org: string;
                webhookId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of deliveries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deliveries: {
                            id: string;
                            /** @description The webhook-id header */
                            eventId: string;
                            eventType: string;
                            sequence: number;
                            /**
                             * @description failed: given up after the retry window
                             * @enum {string}
                             */
                            state: "pending" | "delivered" | "failed";
                            /** @description When a pending delivery is tried next */
                            nextAttemptAt: string | null;
                            /**
                             * Format: date-time
                             * @description ISO 8601 timestamp
                             */
                            createdAt: string;
                            deliveredAt: string | null;
                            attempts: {
                                attempt: number;
                                /**
                                 * Format: date-time
                                 * @description ISO 8601 timestamp
                                 */
                                attemptedAt: string;
                                /** @description null: no response (refused, unreachable, timed out) */
                                statusCode: number | null;
                                durationMs: number;
                                error: string | null;
                                /** @description The start of the response body (at most 1,024 characters) */
                                responsePrefix: string | null;
                            }[];
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    redeliverWebhookEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                webhookId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The event's sequence number */
                    sequence: number;
                };
            };
        };
        responses: {
            /** @description Scheduled */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deliveryId: string;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    replayWebhookEvents: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                webhookId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The first event sequence to send again */
                    fromSequence: number;
                };
            };
        };
        responses: {
            /** @description Scheduled */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Events from this sequence on are sent again */
                        fromSequence: number;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listEvents: {
        parameters: {
            query?: {
                after?: number;
                limit?: number;
            };
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Events after the cursor, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        events: {
                            /** @description Unique across organizations (the webhook-id of its deliveries) */
                            id: string;
                            /** @description 1, 2, 3 … per organization, in commit order: order and de-duplicate by it */
                            sequence: number;
                            /** @enum {string} */
                            type: "member.created" | "member.updated" | "member.deactivated" | "member.reactivated" | "member.deleted" | "member.role_changed" | "group.created" | "group.updated" | "group.deleted" | "group.member_added" | "group.member_removed" | "identity.sso_updated" | "identity.provisioning_updated";
                            /**
                             * Format: date-time
                             * @description ISO 8601 timestamp
                             */
                            occurredAt: string;
                            /** @description Who made the change: the identity provider’s credential, a portal member, or the operator */
                            actor: {
                                /** @enum {string} */
                                type: "api_key" | "oauth_client" | "member" | "system";
                                id: string;
                                /** @description An API key's name */
                                label?: string;
                            };
                            /** @description The resource's new state; {id} for a deletion; {group, member} for a membership */
                            data: {
                                [key: string]: unknown;
                            };
                        }[];
                        /** @description The `after` of the next request: the last sequence on this page */
                        next: number;
                        /** @description Whether more events were already there beyond this page */
                        hasMore: boolean;
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdoptionPreview: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The adoption preview */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The saved setting: true means adoption already happens */
                        provisionExistingUsers: boolean;
                        /** @description The saved setting: groups are adopted only with group sync on */
                        syncGroups: boolean;
                        handOver: {
                            /** @description Portal members an IdP user of the same userName adopts */
                            count: number;
                            /** @description The first `limit` by userName */
                            items: {
                                id: string;
                                userName: string;
                                displayName: string | null;
                                emails: string[];
                                /** @enum {string} */
                                effectiveRole: "basic" | "manager";
                                /** @enum {string} */
                                status: "active" | "deactivated";
                            }[];
                        };
                        conflicts: {
                            count: number;
                            byKind: {
                                user_name_case: number;
                                not_matchable: number;
                                no_sign_in_email: number;
                            };
                            /** @description The first `limit` by userName */
                            items: {
                                id: string;
                                userName: string;
                                displayName: string | null;
                                emails: string[];
                                /** @enum {string} */
                                effectiveRole: "basic" | "manager";
                                /** @enum {string} */
                                status: "active" | "deactivated";
                                /**
                                 * @description user_name_case: an email address with capitals (adopted; the IdP spelling replaces it); not_matchable: the userName is not an email address; no_sign_in_email: neither is there a work or primary email
                                 * @enum {string}
                                 */
                                kind: "user_name_case" | "not_matchable" | "no_sign_in_email";
                                hint: string;
                            }[];
                        };
                        groups: {
                            /** @description Portal groups an IdP group of the same name (ignoring case) adopts */
                            count: number;
                            /** @description The first `limit` by name */
                            items: {
                                id: string;
                                displayName: string;
                                role: "manager" | null;
                                memberCount: number;
                            }[];
                        };
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProvisioningTimeline: {
        parameters: {
            query?: {
                hours?: number;
                credential?: string;
            };
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The timeline */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The length of each bucket */
                        bucketSeconds: number;
                        buckets: {
                            /**
                             * Format: date-time
                             * @description ISO 8601 timestamp
                             */
                            start: string;
                            requests: number;
                            /** @description Answered with a 4xx or 5xx */
                            failures: number;
                        }[];
                    };
                };
            };
            /** @description Error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
