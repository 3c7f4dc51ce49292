"""The sixteen endpoints only Letta Cloud serves (``agents.schedule``, ``access_tokens``,
``environments``, ``templates`` and ``templates.agents``), offline, in sync and async mode: the
exact request each method sends (verb, path with its ids kept whole, query, JSON body, headers)
and the answer, in the official response shape, parsed into the official response class.

One row of ``CASES`` per call: the method and its arguments, the request it must send, the answer
the server gives and what the result must be."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Tuple, Union
from urllib.parse import unquote

import httpx
import pydantic
import pytest
import respx

from _both import resolve
from letta_client import APIResponse, AsyncLetta, Letta
from letta_client._response import AsyncAPIResponse
from letta_client.types.access_token_create_response import AccessTokenCreateResponse, Policy, PolicyData
from letta_client.types.access_token_list_response import AccessTokenListResponse, Token
from letta_client.types.agents.schedule_create_response import ScheduleCreateResponse
from letta_client.types.agents.schedule_delete_response import ScheduleDeleteResponse
from letta_client.types.agents.schedule_list_response import (
    ScheduledMessage,
    ScheduledMessageMessageMessageContentUnionMember0UnionMember0,
    ScheduledMessageMessageMessageContentUnionMember0UnionMember1,
    ScheduledMessageScheduleUnionMember0,
    ScheduledMessageScheduleUnionMember1,
    ScheduleListResponse,
)
from letta_client.types.agents.schedule_retrieve_response import (
    ScheduleRetrieveResponse,
    ScheduleUnionMember1,
)
from letta_client.types.environment_list_response import Connection, ConnectionMetadata, EnvironmentListResponse
from letta_client.types.environment_retrieve_response import EnvironmentRetrieveResponse, Metadata
from letta_client.types.environment_send_message_response import EnvironmentSendMessageResponse
from letta_client.types.template_create_response import TemplateCreateResponse
from letta_client.types.template_delete_response import TemplateDeleteResponse
from letta_client.types.template_rollback_response import TemplateRollbackResponse
from letta_client.types.template_save_response import TemplateSaveResponse
from letta_client.types.template_update_response import TemplateUpdateResponse
from letta_client.types.templates.agent_create_response import AgentCreateResponse

KEY = "sk-let-cloud-0123456789abcdef"
PROJECT = "support-bots"
PROJECT_ID = "proj-6c1e2f8a-1b9d-4c55-9a0e-2f7b3d4e5a61"
AGENT = "agent-5ffc4d46-f622-404c-a51c-f54fe9591b3b"
# ids with characters a path segment cannot hold as they are: they must reach the server whole
ODD_AGENT = "agent/with?odd#id"
SCHEDULED = "sm-0d3c9a2e/2026#01"
TOKEN = "ck-let-eyJhbGciOi/J9+x=="
DEVICE = "device/mbp"
CONNECTION = "conn-7a61c3f0?pod=2"
TEMPLATE = "customer-support"
TEMPLATE_VERSION = "customer-support:latest"

NO_BODY = object()
"""The request must carry no body at all."""

# A path segment as RFC 3986 allows it on the wire (pchar): anything else must be percent-encoded.
PCHAR = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*")


class Is:
    """An expected value that is any instance of ``cls``."""

    def __init__(self, cls: type) -> None:
        self.cls = cls

    def __repr__(self) -> str:
        return f"Is({self.cls.__name__})"


@dataclass(frozen=True)
class Case:
    method: str  # "templates.agents.create": the attribute path from the client
    args: Tuple[Any, ...]
    kwargs: Dict[str, Any]
    verb: str
    path: Tuple[str, ...]  # the path's segments as the server decodes them
    payload: Any  # the server's answer
    returns: Any  # the official response class
    query: Dict[str, str] = field(default_factory=dict)  # the whole query string
    body: Any = NO_BODY  # the whole JSON body
    expect: Dict[str, Any] = field(default_factory=dict)  # "a.0.b" -> value or Is(cls)
    name: str = ""

    @property
    def id(self) -> str:
        return self.method + (f"[{self.name}]" if self.name else "")


# ---- the official answers ---------------------------------------------------------------------

RECURRING = {
    "id": "sm-4f8e2b1a-9c7d-4e3f-8a6b-5d2c1e0f9a8b",
    "agent_id": AGENT,
    "message": {
        "messages": [
            {
                "role": "user",
                "content": "Post the daily standup summary to #eng.",
                "name": "scheduler",
                "otid": "otid-31d0",
                "sender_id": "user-8c2b",
                "type": "message",
            }
        ],
        "callback_url": "https://hooks.example.com/letta/standup",
        "include_return_message_types": ["assistant_message", "tool_call_message"],
        "max_steps": 8,
    },
    "next_scheduled_time": "2026-01-05T09:00:00.000Z",
    "schedule": {"type": "recurring", "cron_expression": "0 9 * * 1-5"},
}
ONE_TIME = {
    "id": "sm-9a1b2c3d-0e4f-4a5b-8c6d-7e8f9a0b1c2d",
    "agent_id": AGENT,
    "message": {
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What changed on this dashboard since Monday?", "signature": None},
                    {
                        "type": "image",
                        "source": {
                            "type": "base64",
                            "media_type": "image/png",
                            "data": "iVBORw0KGgo=",
                            "detail": "low",
                        },
                    },
                ],
            }
        ],
    },
    "next_scheduled_time": None,
    "schedule": {"type": "one-time", "scheduled_at": 1767258000000},
}
POLICY = {"version": "1", "data": [{"type": "agent", "id": AGENT, "access": ["read_messages", "write_messages"]}]}
ACCESS_TOKEN = {
    "token": "ck-let-eyJhbGciOiJIUzI1NiJ9.eyJhZ2VudCI6MX0.sig",
    "expiresAt": "2026-01-31T00:00:00.000Z",
    "hostname": "https://app.example.com",
    "policy": POLICY,
}
ENVIRONMENT = {
    "id": "env-2b7d9c41",
    "connectedAt": 1767225600123,
    "connectionId": "conn-7a61c3f0",
    "connectionName": "alice-mbp",
    "deviceId": "device-f3a9",
    "firstSeenAt": 1764547200000,
    "lastHeartbeat": 1767225690456,
    "lastSeenAt": 1767225690456,
    "organizationId": "org-1d2e3f4a",
    "podId": "letta-env-pod-3",
    "apiKeyOwner": "user-8c2b",
    "currentMode": "acceptEdits",
    "metadata": {
        "gitBranch": "main",
        "lettaCodeVersion": "0.9.2",
        "nodeVersion": "v22.11.0",
        "os": "darwin",
        "workingDirectory": "/Users/alice/src/shop",
    },
    "userId": "user-8c2b",
}
TEMPLATE_ANSWER = {
    "id": "tmpl-8d6e4f2a",
    "latest_version": "4",
    "name": TEMPLATE,
    "project_id": PROJECT_ID,
    "project_slug": PROJECT,
    "template_deployment_slug": f"{PROJECT}/{TEMPLATE}:4",
    "updated_at": "2026-01-02T10:15:00.000Z",
    "description": "Tier-1 support agent",
}
AGENT_FILE = {
    "agents": [{"id": "agent-0", "name": "support", "system": "You are a support agent.", "tool_ids": ["tool-0"]}],
    "blocks": [{"id": "block-0", "label": "persona", "value": "Friendly and concise.", "limit": 5000}],
    "tools": [{"id": "tool-0", "name": "lookup_order", "source_code": "def lookup_order(order_id: str): ..."}],
    "mcp_servers": [],
    "metadata": {"revision_id": None},
}
USER_MESSAGE = {"role": "user", "content": "Post the daily standup summary to #eng."}


CASES: List[Case] = [
    # ---- agents.schedule
    Case(
        "agents.schedule.create",
        (AGENT,),
        {
            "messages": [{**USER_MESSAGE, "name": "scheduler", "otid": "otid-31d0", "sender_id": "user-8c2b"}],
            "schedule": {"type": "recurring", "cron_expression": "0 9 * * 1-5"},
            "callback_url": "https://hooks.example.com/letta/standup",
            "include_return_message_types": ["assistant_message", "tool_call_message"],
            "max_steps": 8,
        },
        "POST",
        ("v1", "agents", AGENT, "schedule"),
        {"id": RECURRING["id"], "next_scheduled_at": "2026-01-05T09:00:00.000Z"},
        ScheduleCreateResponse,
        body={
            "messages": [{**USER_MESSAGE, "name": "scheduler", "otid": "otid-31d0", "sender_id": "user-8c2b"}],
            "schedule": {"type": "recurring", "cron_expression": "0 9 * * 1-5"},
            "callback_url": "https://hooks.example.com/letta/standup",
            "include_return_message_types": ["assistant_message", "tool_call_message"],
            "max_steps": 8,
        },
        expect={"id": RECURRING["id"], "next_scheduled_at": "2026-01-05T09:00:00.000Z"},
        name="every-argument",
    ),
    Case(
        "agents.schedule.create",
        (ODD_AGENT,),
        {
            "messages": [{"role": "user", "content": [{"type": "text", "text": "Remind me to renew the cert."}]}],
            "schedule": {"scheduled_at": 1767258000000},
        },
        "POST",
        ("v1", "agents", ODD_AGENT, "schedule"),
        {"id": ONE_TIME["id"], "next_scheduled_at": None},
        ScheduleCreateResponse,
        body={
            "messages": [{"role": "user", "content": [{"type": "text", "text": "Remind me to renew the cert."}]}],
            "schedule": {"scheduled_at": 1767258000000},
        },
        expect={"id": ONE_TIME["id"], "next_scheduled_at": None},
        name="required-only",
    ),
    Case(
        "agents.schedule.delete",
        (SCHEDULED,),
        {"agent_id": ODD_AGENT},
        "DELETE",
        ("v1", "agents", ODD_AGENT, "schedule", SCHEDULED),
        {"success": True},
        ScheduleDeleteResponse,
        expect={"success": True},
    ),
    Case(
        "agents.schedule.list",
        (AGENT,),
        {"after": "sm-0001", "limit": "2"},
        "GET",
        ("v1", "agents", AGENT, "schedule"),
        {"has_next_page": True, "scheduled_messages": [RECURRING, ONE_TIME]},
        ScheduleListResponse,
        query={"after": "sm-0001", "limit": "2"},
        expect={
            "has_next_page": True,
            "scheduled_messages.0": Is(ScheduledMessage),
            "scheduled_messages.0.schedule": Is(ScheduledMessageScheduleUnionMember1),
            "scheduled_messages.0.schedule.cron_expression": "0 9 * * 1-5",
            "scheduled_messages.0.message.max_steps": 8.0,
            "scheduled_messages.0.message.include_return_message_types": ["assistant_message", "tool_call_message"],
            "scheduled_messages.0.message.messages.0.content": "Post the daily standup summary to #eng.",
            "scheduled_messages.0.next_scheduled_time": "2026-01-05T09:00:00.000Z",
            "scheduled_messages.1.schedule": Is(ScheduledMessageScheduleUnionMember0),
            "scheduled_messages.1.schedule.scheduled_at": 1767258000000.0,
            "scheduled_messages.1.message.messages.0.content.0": Is(
                ScheduledMessageMessageMessageContentUnionMember0UnionMember0
            ),
            "scheduled_messages.1.message.messages.0.content.1": Is(
                ScheduledMessageMessageMessageContentUnionMember0UnionMember1
            ),
            "scheduled_messages.1.message.messages.0.content.1.source.media_type": "image/png",
            "scheduled_messages.1.message.callback_url": None,
        },
    ),
    Case(
        "agents.schedule.list",
        (AGENT,),
        {},
        "GET",
        ("v1", "agents", AGENT, "schedule"),
        {"has_next_page": False, "scheduled_messages": []},
        ScheduleListResponse,
        expect={"has_next_page": False, "scheduled_messages": []},
        name="no-arguments",
    ),
    Case(
        "agents.schedule.retrieve",
        (SCHEDULED,),
        {"agent_id": AGENT},
        "GET",
        ("v1", "agents", AGENT, "schedule", SCHEDULED),
        RECURRING,
        ScheduleRetrieveResponse,
        expect={
            "id": RECURRING["id"],
            "agent_id": AGENT,
            "schedule": Is(ScheduleUnionMember1),
            "schedule.type": "recurring",
            "message.callback_url": "https://hooks.example.com/letta/standup",
            "message.messages.0.role": "user",
            "message.messages.0.sender_id": "user-8c2b",
        },
    ),
    # ---- access_tokens
    Case(
        "access_tokens.create",
        (),
        {
            "hostname": "https://app.example.com",
            "policy": [{"type": "agent", "id": AGENT, "access": ["read_messages", "write_messages"]}],
            "expires_at": "2026-01-31T00:00:00.000Z",
        },
        "POST",
        ("v1", "client-side-access-tokens"),
        ACCESS_TOKEN,
        AccessTokenCreateResponse,
        body={
            "hostname": "https://app.example.com",
            "policy": [{"type": "agent", "id": AGENT, "access": ["read_messages", "write_messages"]}],
            "expires_at": "2026-01-31T00:00:00.000Z",
        },
        expect={
            "token": ACCESS_TOKEN["token"],
            "expires_at": "2026-01-31T00:00:00.000Z",
            "hostname": "https://app.example.com",
            "policy": Is(Policy),
            "policy.version": "1",
            "policy.data.0": Is(PolicyData),
            "policy.data.0.access": ["read_messages", "write_messages"],
        },
    ),
    Case(
        "access_tokens.create",
        (),
        {"hostname": "http://localhost:5173", "policy": [{"type": "agent", "id": AGENT, "access": ["read_agent"]}]},
        "POST",
        ("v1", "client-side-access-tokens"),
        {**ACCESS_TOKEN, "hostname": "http://localhost:5173"},
        AccessTokenCreateResponse,
        body={
            "hostname": "http://localhost:5173",
            "policy": [{"type": "agent", "id": AGENT, "access": ["read_agent"]}],
        },
        expect={"hostname": "http://localhost:5173"},
        name="required-only",
    ),
    Case(
        "access_tokens.delete",
        (TOKEN,),
        {},
        "DELETE",
        ("v1", "client-side-access-tokens", TOKEN),
        {"success": True},
        object,
        name="no-body",  # an omitted body is not sent (it once went as `{}`)
    ),
    Case(
        "access_tokens.delete",
        (TOKEN,),
        {"body": {"reason": "rotated"}},
        "DELETE",
        ("v1", "client-side-access-tokens", TOKEN),
        {"success": True},
        object,
        body={"reason": "rotated"},
        name="with-body",
    ),
    Case(
        "access_tokens.list",
        (),
        {"agent_id": AGENT, "limit": 25, "offset": 50},
        "GET",
        ("v1", "client-side-access-tokens"),
        {"hasNextPage": True, "tokens": [ACCESS_TOKEN]},
        AccessTokenListResponse,
        query={"agentId": AGENT, "limit": "25", "offset": "50"},
        expect={
            "has_next_page": True,
            "tokens.0": Is(Token),
            "tokens.0.expires_at": "2026-01-31T00:00:00.000Z",
            "tokens.0.policy.data.0.id": AGENT,
        },
    ),
    Case(
        "access_tokens.list",
        (),
        {},
        "GET",
        ("v1", "client-side-access-tokens"),
        {"hasNextPage": False, "tokens": []},
        AccessTokenListResponse,
        expect={"has_next_page": False, "tokens": []},
        name="no-arguments",
    ),
    # ---- environments
    Case(
        "environments.list",
        (),
        {"after": "env-1a2b", "limit": "20", "online_only": "true", "source": "remote", "user_id": "user-8c2b"},
        "GET",
        ("v1", "environments"),
        {"connections": [ENVIRONMENT, {**ENVIRONMENT, "id": "env-minimal", "metadata": None}], "hasNextPage": True},
        EnvironmentListResponse,
        query={"after": "env-1a2b", "limit": "20", "onlineOnly": "true", "source": "remote", "userId": "user-8c2b"},
        expect={
            "has_next_page": True,
            "connections.0": Is(Connection),
            "connections.0.connection_name": "alice-mbp",
            "connections.0.device_id": "device-f3a9",
            "connections.0.first_seen_at": 1764547200000.0,
            "connections.0.current_mode": "acceptEdits",
            "connections.0.metadata": Is(ConnectionMetadata),
            "connections.0.metadata.working_directory": "/Users/alice/src/shop",
            "connections.1.metadata": None,
        },
    ),
    Case(
        "environments.list",
        (),
        {},
        "GET",
        ("v1", "environments"),
        {"connections": [], "hasNextPage": False},
        EnvironmentListResponse,
        expect={"connections": [], "has_next_page": False},
        name="no-arguments",
    ),
    Case(
        "environments.retrieve",
        (DEVICE,),
        {},
        "GET",
        ("v1", "environments", DEVICE),
        ENVIRONMENT,
        EnvironmentRetrieveResponse,
        expect={
            "id": "env-2b7d9c41",
            "connected_at": 1767225600123.0,
            "connection_id": "conn-7a61c3f0",
            "last_heartbeat": 1767225690456.0,
            "organization_id": "org-1d2e3f4a",
            "pod_id": "letta-env-pod-3",
            "api_key_owner": "user-8c2b",
            "user_id": "user-8c2b",
            "metadata": Is(Metadata),
            "metadata.git_branch": "main",
            "metadata.letta_code_version": "0.9.2",
            "metadata.node_version": "v22.11.0",
            "metadata.os": "darwin",
        },
    ),
    Case(
        "environments.send_message",
        (CONNECTION,),
        {
            "messages": [{**USER_MESSAGE, "client_message_id": "cm-41f2", "otid": "otid-77aa"}],
            "agent_id": AGENT,
            "conversation_id": "conv-5e6f7a8b",
        },
        "POST",
        ("v1", "environments", CONNECTION, "messages"),
        {"message": "Message delivered to alice-mbp", "success": True},
        EnvironmentSendMessageResponse,
        body={
            "messages": [{**USER_MESSAGE, "client_message_id": "cm-41f2", "otid": "otid-77aa"}],
            "agentId": AGENT,
            "conversationId": "conv-5e6f7a8b",
        },
        expect={"message": "Message delivered to alice-mbp", "success": True},
    ),
    Case(
        "environments.send_message",
        (CONNECTION,),
        {
            "messages": [
                {
                    "type": "approval",
                    "approvals": [
                        {"type": "approval", "tool_call_id": "toolu_01", "approve": True, "reason": None},
                        {
                            "type": "tool",
                            "tool_call_id": "toolu_02",
                            "status": "success",
                            "tool_return": [{"type": "text", "text": "42 passed"}],
                            "stdout": ["42 passed"],
                            "stderr": None,
                        },
                    ],
                }
            ],
            "conversation_id": None,
        },
        "POST",
        ("v1", "environments", CONNECTION, "messages"),
        {"message": "Approvals forwarded", "success": True},
        EnvironmentSendMessageResponse,
        body={
            "messages": [
                {
                    "type": "approval",
                    "approvals": [
                        {"type": "approval", "tool_call_id": "toolu_01", "approve": True, "reason": None},
                        {
                            "type": "tool",
                            "tool_call_id": "toolu_02",
                            "status": "success",
                            "tool_return": [{"type": "text", "text": "42 passed"}],
                            "stdout": ["42 passed"],
                            "stderr": None,
                        },
                    ],
                }
            ],
            "conversationId": None,  # an explicit None is sent as null
        },
        expect={"success": True},
        name="approvals-null-conversation",
    ),
    # ---- templates
    Case(
        "templates.create",
        (),
        {"agent_id": AGENT, "type": "agent", "name": TEMPLATE},
        "POST",
        ("v1", "templates"),
        TEMPLATE_ANSWER,
        TemplateCreateResponse,
        body={"agent_id": AGENT, "type": "agent", "name": TEMPLATE},
        expect={
            "id": "tmpl-8d6e4f2a",
            "latest_version": "4",
            "name": TEMPLATE,
            "project_id": PROJECT_ID,
            "project_slug": PROJECT,
            "template_deployment_slug": f"{PROJECT}/{TEMPLATE}:4",
            "updated_at": "2026-01-02T10:15:00.000Z",
            "description": "Tier-1 support agent",
        },
        name="from-agent",
    ),
    Case(
        "templates.create",
        (),
        {"agent_id": AGENT, "type": "agent"},
        "POST",
        ("v1", "templates"),
        {**TEMPLATE_ANSWER, "name": "brave-otter", "description": None},
        TemplateCreateResponse,
        body={"agent_id": AGENT, "type": "agent"},
        expect={"name": "brave-otter", "description": None},
        name="from-agent-unnamed",
    ),
    Case(
        "templates.create",
        (),
        {"agent_file": AGENT_FILE, "type": "agent_file", "name": "onboarding", "update_existing_tools": True},
        "POST",
        ("v1", "templates"),
        {**TEMPLATE_ANSWER, "name": "onboarding", "latest_version": "1"},
        TemplateCreateResponse,
        body={"agent_file": AGENT_FILE, "type": "agent_file", "name": "onboarding", "update_existing_tools": True},
        expect={"name": "onboarding", "latest_version": "1"},
        name="from-agent-file",
    ),
    Case(
        "templates.create",
        (),
        {"agent_file": AGENT_FILE, "type": "agent_file"},
        "POST",
        ("v1", "templates"),
        TEMPLATE_ANSWER,
        TemplateCreateResponse,
        body={"agent_file": AGENT_FILE, "type": "agent_file"},
        expect={"id": "tmpl-8d6e4f2a"},
        name="from-agent-file-required-only",
    ),
    Case(
        "templates.delete",
        ("team/onboarding",),
        {},
        "DELETE",
        ("v1", "templates", "team/onboarding"),
        {"success": True},
        TemplateDeleteResponse,
        expect={"success": True},
    ),
    Case(
        "templates.rollback",
        (TEMPLATE,),
        {"version": "3"},
        "POST",
        ("v1", "templates", TEMPLATE, "rollback"),
        {"success": True, "message": "Rolled back customer-support to version 3"},
        TemplateRollbackResponse,
        body={"version": "3"},
        expect={"success": True, "message": "Rolled back customer-support to version 3"},
    ),
    Case(
        "templates.save",
        (TEMPLATE,),
        {
            "message": "Tighten the persona",
            "migrate_agents": True,
            "block_reconciliation_strategy": "reconcile-all",
            "preserve_core_memories_on_migration": True,
            "preserve_environment_variables_on_migration": False,
            "preserve_sources_on_migration": True,
        },
        "POST",
        ("v1", "templates", TEMPLATE, "save"),
        {**TEMPLATE_ANSWER, "latest_version": "5"},
        TemplateSaveResponse,
        body={
            "message": "Tighten the persona",
            "migrate_agents": True,
            "block_reconciliation_strategy": "reconcile-all",
            "preserve_core_memories_on_migration": True,
            "preserve_environment_variables_on_migration": False,
            "preserve_sources_on_migration": True,
        },
        expect={"latest_version": "5", "template_deployment_slug": f"{PROJECT}/{TEMPLATE}:4"},
    ),
    Case(
        "templates.save",
        (TEMPLATE,),
        {},
        "POST",
        ("v1", "templates", TEMPLATE, "save"),
        TEMPLATE_ANSWER,
        TemplateSaveResponse,
        body={},  # the official client sends an empty object
        expect={"latest_version": "4"},
        name="no-arguments",
    ),
    Case(
        "templates.update",
        (TEMPLATE,),
        {"agent_file_json": AGENT_FILE, "save_existing_changes": True, "update_existing_tools": False},
        "PATCH",
        ("v1", "templates", TEMPLATE),
        {"success": True, "message": None},
        TemplateUpdateResponse,
        body={"agent_file_json": AGENT_FILE, "save_existing_changes": True, "update_existing_tools": False},
        expect={"success": True, "message": None},
    ),
    Case(
        "templates.update",
        (TEMPLATE,),
        {"agent_file_json": AGENT_FILE},
        "PATCH",
        ("v1", "templates", TEMPLATE),
        {"success": True},
        TemplateUpdateResponse,
        body={"agent_file_json": AGENT_FILE},
        expect={"success": True, "message": None},
        name="required-only",
    ),
    # ---- templates.agents
    Case(
        "templates.agents.create",
        (TEMPLATE_VERSION,),
        {
            "agent_name": "support-acme",
            "identity_ids": ["identity-1", "identity-2"],
            "initial_message_sequence": [
                {"role": "system", "content": "The customer is on the Gold plan."},
                {"role": "user", "content": "Hi!", "name": "dana", "otid": None},
            ],
            "memory_variables": {"company": "Acme", "plan": "gold"},
            "tags": ["tier:gold", "region:eu"],
            "tool_variables": {"ZENDESK_SUBDOMAIN": "acme"},
        },
        "POST",
        ("v1", "templates", TEMPLATE_VERSION, "agents"),
        {"agent_ids": ["agent-1a", "agent-1b"], "deployment_id": "dep-93c1", "group_id": "group-77"},
        AgentCreateResponse,
        body={
            "agent_name": "support-acme",
            "identity_ids": ["identity-1", "identity-2"],
            "initial_message_sequence": [
                {"role": "system", "content": "The customer is on the Gold plan."},
                {"role": "user", "content": "Hi!", "name": "dana", "otid": None},
            ],
            "memory_variables": {"company": "Acme", "plan": "gold"},
            "tags": ["tier:gold", "region:eu"],
            "tool_variables": {"ZENDESK_SUBDOMAIN": "acme"},
        },
        expect={"agent_ids": ["agent-1a", "agent-1b"], "deployment_id": "dep-93c1", "group_id": "group-77"},
    ),
    Case(
        "templates.agents.create",
        (TEMPLATE_VERSION,),
        {"initial_message_sequence": []},  # an empty list is a value: the agent starts with no messages
        "POST",
        ("v1", "templates", TEMPLATE_VERSION, "agents"),
        {"agent_ids": ["agent-2a"], "deployment_id": "dep-93c2"},
        AgentCreateResponse,
        body={"initial_message_sequence": []},
        expect={"agent_ids": ["agent-2a"], "group_id": None},
        name="empty-message-sequence",
    ),
]
BY_ID = {case.id: case for case in CASES}
assert len(BY_ID) == len(CASES), "two cases share an id"


# ---- helpers ----------------------------------------------------------------------------------


@pytest.fixture(params=["sync", "async"])
def cloud(
    request: pytest.FixtureRequest,
    make_client: Callable[..., Letta],
    make_async_client: Callable[..., AsyncLetta],
    mock_api: respx.MockRouter,
) -> Union[Letta, AsyncLetta]:
    """A Letta Cloud client (key and project), sync then async, on the mocked API."""
    make = make_client if request.param == "sync" else make_async_client
    return make(api_key=KEY, project=PROJECT, project_id=PROJECT_ID)


def bound(client: Union[Letta, AsyncLetta], method: str, raw: str = "") -> Any:
    """``client.<method>``; with ``raw="inner"`` ``client.templates.agents.with_raw_response.create``,
    with ``raw="outer"`` the official spelling ``client.templates.with_raw_response.agents.create``."""
    parts = method.split(".")
    if raw == "inner":
        parts.insert(len(parts) - 1, "with_raw_response")
    elif raw == "outer":
        parts.insert(1, "with_raw_response")
    target: Any = client
    for part in parts:
        target = getattr(target, part)
    return target


def dig(value: Any, path: str) -> Any:
    for part in path.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value


def extras(value: Any, where: str = "") -> List[str]:
    """Every field a model (or a model inside it) kept as unknown."""
    if isinstance(value, pydantic.BaseModel):
        found = [f"{where}.{key}" for key in value.model_extra or {}]
        for name in type(value).model_fields:
            found += extras(getattr(value, name), f"{where}.{name}")
        return found
    if isinstance(value, list):
        return [e for i, item in enumerate(value) for e in extras(item, f"{where}.{i}")]
    return []


def check_request(request: httpx.Request, case: Case) -> None:
    assert request.method == case.verb
    raw_path = request.url.raw_path.decode("ascii").partition("?")[0]
    segments = raw_path.split("/")[1:]
    assert all(PCHAR.fullmatch(segment) for segment in segments), raw_path
    assert tuple(unquote(segment) for segment in segments) == case.path, raw_path
    assert sorted(request.url.params.multi_items()) == sorted(case.query.items())
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert (request.headers["x-project"], request.headers["x-project-id"]) == (PROJECT, PROJECT_ID)
    assert request.headers["accept"] == "application/json"
    if case.body is NO_BODY:
        assert request.content == b"", f"unexpected body {request.content!r}"
    else:
        assert request.headers["content-type"] == "application/json"
        assert json.loads(request.content) == case.body


def check_result(result: Any, case: Case) -> None:
    if case.returns is object:  # the answer as JSON data
        assert result == case.payload
        return
    assert type(result) is case.returns
    for path, expected in case.expect.items():
        actual = dig(result, path)
        if isinstance(expected, Is):
            assert isinstance(actual, expected.cls), f"{path}: {actual!r} is not {expected}"
        else:
            assert actual == expected and type(actual) is type(expected), f"{path}: {actual!r} != {expected!r}"
    assert not extras(result), f"fields the official class has but the SDK's does not: {extras(result)}"
    assert result.model_dump(mode="json", by_alias=True, exclude_unset=True) == case.payload


# ---- tests ------------------------------------------------------------------------------------


def test_the_table_covers_every_cloud_only_method() -> None:
    methods = {case.method for case in CASES}
    assert methods == {
        *(f"agents.schedule.{m}" for m in ("create", "delete", "list", "retrieve")),
        *(f"access_tokens.{m}" for m in ("create", "delete", "list")),
        *(f"environments.{m}" for m in ("list", "retrieve", "send_message")),
        *(f"templates.{m}" for m in ("create", "delete", "rollback", "save", "update")),
        "templates.agents.create",
    }


@pytest.mark.parametrize(
    "case",
    [pytest.param(case, id=case.id) for case in CASES],
)
async def test_request_and_answer(cloud: Union[Letta, AsyncLetta], mock_api: respx.MockRouter, case: Case) -> None:
    route = mock_api.route().respond(200, json=case.payload)
    result = await resolve(bound(cloud, case.method)(*case.args, **case.kwargs))
    assert route.call_count == 1
    check_request(route.calls.last.request, case)
    check_result(result, case)


@pytest.mark.parametrize(
    ("case_id", "raw"),
    [
        ("agents.schedule.delete", "inner"),
        ("agents.schedule.list", "outer"),
        ("access_tokens.delete[with-body]", "inner"),
        ("access_tokens.list", "inner"),
        ("environments.retrieve", "inner"),
        ("environments.send_message", "inner"),
        ("templates.delete", "inner"),
        ("templates.create[from-agent-file]", "inner"),
        ("templates.agents.create", "inner"),
        ("templates.agents.create", "outer"),
    ],
)
async def test_raw_response(
    cloud: Union[Letta, AsyncLetta], mock_api: respx.MockRouter, case_id: str, raw: str
) -> None:
    case = BY_ID[case_id]
    route = mock_api.route().respond(200, json=case.payload, headers={"x-request-id": "req-3f9a"})
    response = await resolve(bound(cloud, case.method, raw)(*case.args, **case.kwargs))
    assert isinstance(response, APIResponse if isinstance(cloud, Letta) else AsyncAPIResponse)
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "req-3f9a"
    assert response.headers["content-type"] == "application/json"
    check_request(response.http_request, case)
    assert await resolve(response.json()) == case.payload
    check_result(await resolve(response.parse()), case)
    assert route.call_count == 1  # parse() reads the one response, it does not send again


async def test_templates_create_without_a_source_is_refused_before_sending(
    cloud: Union[Letta, AsyncLetta], mock_api: respx.MockRouter
) -> None:
    route = mock_api.route().respond(200, json=TEMPLATE_ANSWER)
    with pytest.raises(TypeError):
        await resolve(cloud.templates.create(type="agent_file", name="onboarding"))  # type: ignore[call-overload]
    assert not route.called


async def test_an_empty_path_id_is_refused_before_sending(
    cloud: Union[Letta, AsyncLetta], mock_api: respx.MockRouter
) -> None:
    route = mock_api.route().respond(200, json={"success": True})
    calls = [
        lambda: cloud.agents.schedule.retrieve("", agent_id=AGENT),
        lambda: cloud.agents.schedule.delete(SCHEDULED, agent_id=""),
        lambda: cloud.access_tokens.delete(""),
        lambda: cloud.environments.retrieve(""),
        lambda: cloud.environments.send_message("", messages=[]),
        lambda: cloud.templates.delete(""),
        lambda: cloud.templates.agents.create(""),
    ]
    for call in calls:
        with pytest.raises(ValueError):
            await resolve(call())
    assert not route.called


@pytest.mark.parametrize(
    ("method", "args", "payload", "known", "unknown"),
    [
        (
            "environments.retrieve",
            (DEVICE,),
            {**ENVIRONMENT, "currentMode": "plan", "sandboxRegion": "eu-west-1", "metadata": {"shell": "zsh"}},
            {"id": "env-2b7d9c41", "connection_name": "alice-mbp", "current_mode": "plan", "metadata.shell": "zsh"},
            {"sandboxRegion": "eu-west-1"},
        ),
        (
            "access_tokens.list",
            (),
            {
                "hasNextPage": False,
                "tokens": [
                    {**ACCESS_TOKEN, "policy": {**POLICY, "data": [{**POLICY["data"][0], "access": ["admin"]}]}}
                ],
                "totalCount": 1,
            },
            {
                "has_next_page": False,
                "tokens.0.policy.data.0.access": ["admin"],
                "tokens.0.hostname": ACCESS_TOKEN["hostname"],
            },
            {"totalCount": 1},
        ),
        (
            "agents.schedule.retrieve",
            ("sm-1",),
            {**RECURRING, "schedule": {"type": "interval", "every_seconds": 3600}, "paused": True},
            {"agent_id": AGENT, "schedule.type": "interval", "schedule.every_seconds": 3600, "message.max_steps": 8.0},
            {"paused": True},
        ),
    ],
    ids=["environment", "access-token", "schedule"],
)
async def test_a_newer_server_answer_still_parses(
    cloud: Union[Letta, AsyncLetta],
    mock_api: respx.MockRouter,
    method: str,
    args: Tuple[Any, ...],
    payload: Dict[str, Any],
    known: Dict[str, Any],
    unknown: Dict[str, Any],
) -> None:
    """An enum value the SDK does not know and a field it does not know: the answer is still the
    official class, every known field typed, the unknown value and field kept as sent."""
    mock_api.route().respond(200, json=payload)
    kwargs = {"agent_id": AGENT} if method == "agents.schedule.retrieve" else {}
    result = await resolve(bound(cloud, method)(*args, **kwargs))
    assert type(result) is BY_ID[method].returns
    for path, expected in known.items():
        assert dig(result, path) == expected, path
    for name, value in unknown.items():
        assert result.model_extra[name] == value and getattr(result, name) == value


async def test_extra_headers_query_and_body_reach_a_cloud_endpoint(
    cloud: Union[Letta, AsyncLetta], mock_api: respx.MockRouter
) -> None:
    route = mock_api.route().respond(200, json=TEMPLATE_ANSWER)
    await resolve(
        cloud.templates.save(
            TEMPLATE,
            migrate_agents=True,
            extra_headers={"X-Project": "other-project", "X-Trace": "t-1"},
            extra_query={"dry_run": "true"},
            extra_body={"note": "from CI"},
        )
    )
    request = route.calls.last.request
    assert request.headers["x-project"] == "other-project" and request.headers["x-trace"] == "t-1"
    assert request.url.params.multi_items() == [("dry_run", "true")]
    assert json.loads(request.content) == {"migrate_agents": True, "note": "from CI"}
