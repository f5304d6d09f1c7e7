"""Smoke tests: the Slack stand-in answers slack_sdk and bolt the way Slack would."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from slack_bolt import Ack, App, BoltRequest, BoltResponse, Say
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from tests.slack_stand_in import (
    BOT_USER_ID,
    TEAM_ID,
    UPLOAD,
    SlackStandIn,
    block_actions_body,
    event_callback_body,
    message_event,
    plain_text_state,
    sign_request,
    signed_headers,
    slash_command_body,
    view_submission_body,
)

pytest_plugins = ["tests.slack_fixtures"]


def test_auth_test_names_the_bot_and_team(slack_web_client: WebClient) -> None:
    answer = slack_web_client.auth_test()
    assert (answer["user_id"], answer["team_id"]) == (BOT_USER_ID, TEAM_ID)


def test_wrong_token_is_refused_and_recorded(slack_stand_in: SlackStandIn) -> None:
    client = WebClient(token="xoxb-wrong", base_url=slack_stand_in.base_url)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="hej")
    assert raised.value.response["error"] == "invalid_auth"
    assert slack_stand_in.recorded()[0].headers["authorization"] == "Bearer xoxb-wrong"


def test_post_message_gives_increasing_ts_and_records_json(
    slack_web_client: WebClient, slack_stand_in: SlackStandIn
) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Fråga*"}}]
    first = slack_web_client.chat_postMessage(channel="C1", text="en", blocks=blocks)
    second = slack_web_client.chat_postMessage(channel="C1", text="två", thread_ts=first["ts"])
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["text"] == "en"
    payload = slack_stand_in.calls("chat.postMessage")[0]
    assert payload["blocks"] == blocks  # JSON body: structure survives
    recorded = slack_stand_in.recorded()[0]
    assert recorded.headers["content-type"].startswith("application/json")
    texts = [(m["text"], m.get("thread_ts")) for m in slack_stand_in.messages("C1")]
    assert texts == [("en", None), ("två", first["ts"])]


def test_posting_to_a_user_lands_in_their_dm(
    slack_web_client: WebClient, slack_stand_in: SlackStandIn
) -> None:
    opened = slack_web_client.conversations_open(users="U1")
    posted = slack_web_client.chat_postMessage(channel="U1", text="hej")
    assert posted["channel"] == opened["channel"]["id"] == slack_stand_in.dm_channel_for("U1")


def test_update_and_delete_change_what_the_channel_shows(
    slack_web_client: WebClient, slack_stand_in: SlackStandIn
) -> None:
    kept = slack_web_client.chat_postMessage(channel="C1", text="öppen")
    gone = slack_web_client.chat_postMessage(channel="C1", text="tas bort")
    slack_web_client.chat_update(channel="C1", ts=kept["ts"], text="besvarad")
    slack_web_client.chat_delete(channel="C1", ts=gone["ts"])
    assert [m["text"] for m in slack_stand_in.messages("C1")] == ["besvarad"]
    with pytest.raises(SlackApiError) as raised:
        slack_web_client.chat_update(channel="C1", ts="1.000001", text="x")
    assert raised.value.response["error"] == "message_not_found"


def test_form_encoded_calls_are_parsed(
    slack_web_client: WebClient, slack_stand_in: SlackStandIn
) -> None:
    posted = slack_web_client.chat_postMessage(channel="C1", text="fråga")
    slack_web_client.reactions_add(channel="C1", timestamp=posted["ts"], name="eyes")
    with pytest.raises(SlackApiError) as raised:
        slack_web_client.reactions_add(channel="C1", timestamp=posted["ts"], name="eyes")
    assert raised.value.response["error"] == "already_reacted"
    call = slack_stand_in.recorded()[1]
    assert call.headers["content-type"] == "application/x-www-form-urlencoded"
    assert call.payload == {"channel": "C1", "timestamp": posted["ts"], "name": "eyes"}
    assert slack_stand_in.messages("C1")[0]["reactions"][0]["name"] == "eyes"


def test_ephemeral_and_users_info(
    slack_web_client: WebClient, slack_stand_in: SlackStandIn
) -> None:
    slack_stand_in.add_user("U7", real_name="Karin Berg", tz="Europe/Stockholm")
    assert slack_web_client.users_info(user="U7")["user"]["real_name"] == "Karin Berg"
    assert slack_web_client.users_info(user="U8")["user"]["id"] == "U8"
    answer = slack_web_client.chat_postEphemeral(channel="C1", user="U7", text="bara du")
    assert answer["message_ts"]
    assert slack_stand_in.messages("C1") == []


def test_views_open_update_and_publish(slack_web_client: WebClient) -> None:
    modal = {
        "type": "modal",
        "callback_id": "ask",
        "title": {"type": "plain_text", "text": "Fråga"},
        "blocks": [],
    }
    opened = slack_web_client.views_open(trigger_id="t1", view=modal)["view"]
    assert opened["callback_id"] == "ask"
    updated = slack_web_client.views_update(
        view_id=opened["id"],
        view={
            **modal,
            "blocks": [{"type": "section", "text": {"type": "plain_text", "text": "Tack"}}],
        },
    )["view"]
    assert updated["id"] == opened["id"] and len(updated["blocks"]) == 1
    with pytest.raises(SlackApiError) as raised:
        slack_web_client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal)
    assert raised.value.response["error"] == "hash_conflict"
    home = {"type": "home", "blocks": []}
    first = slack_web_client.views_publish(user_id="U1", view=home)["view"]
    assert slack_web_client.views_publish(user_id="U1", view=home)["view"]["id"] == first["id"]


def test_files_upload_v2_round_trip(
    slack_web_client: WebClient, slack_stand_in: SlackStandIn
) -> None:
    content = b"datum;antal\r\n2024-05-01;3\n\x00\xff"
    answer = slack_web_client.files_upload_v2(
        channel="C1", content=content, filename="statistik.csv", initial_comment="Veckan"
    )
    file_id = answer["file"]["id"]
    assert slack_stand_in.uploaded_bytes(file_id) == content
    assert slack_stand_in.calls(UPLOAD)[0]["data"] == content
    completion = slack_stand_in.calls("files.completeUploadExternal")[0]
    assert json.loads(completion["files"])[0]["id"] == file_id  # form-encoded: JSON text
    shared = slack_stand_in.messages("C1")[0]
    assert (shared["text"], shared["files"][0]["name"]) == ("Veckan", "statistik.csv")


def test_legacy_files_upload_multipart(
    slack_web_client: WebClient, slack_stand_in: SlackStandIn
) -> None:
    content = b"rad 1\r\nrad 2\n\x00"
    with pytest.warns(UserWarning, match="files_upload_v2"):  # slack_sdk nags about v1
        answer = slack_web_client.files_upload(file=content, filename="logg.txt", channels="C1")
    assert slack_stand_in.uploaded_bytes(answer["file"]["id"]) == content
    assert slack_stand_in.calls("files.upload")[0]["file"] == content


def test_concurrent_posts_get_unique_ts(
    slack_web_client: WebClient, slack_stand_in: SlackStandIn
) -> None:
    def post(n: int) -> str:
        return str(slack_web_client.chat_postMessage(channel="C1", text=str(n))["ts"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        stamps = list(pool.map(post, range(40)))
    assert len(set(stamps)) == 40
    assert len(slack_stand_in.wait_for("chat.postMessage", count=40)) == 40


def test_malformed_form_argument_is_refused(slack_web_client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        slack_web_client.files_completeUploadExternal(files=[{"id": "F1"}], channel_id="C1")
    assert raised.value.response["error"] == "file_not_found"
    with pytest.raises(SlackApiError) as raised:
        slack_web_client.api_call("views.publish", params={"user_id": "U1", "view": "{nope"})
    assert raised.value.response["error"] == "invalid_arguments"


def test_socket_mode_is_not_offered(slack_stand_in: SlackStandIn) -> None:
    client = WebClient(token=slack_stand_in.token, base_url=slack_stand_in.base_url)
    with pytest.raises(SlackApiError):
        client.apps_connections_open(app_token=slack_stand_in.token)


def test_rate_limit_is_retried_by_slack_sdk(slack_stand_in: SlackStandIn) -> None:
    client = WebClient(
        token=slack_stand_in.token,
        base_url=slack_stand_in.base_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    slack_stand_in.fail_next("chat.postMessage", status=429, retry_after=0)
    answer = client.chat_postMessage(channel="C1", text="hej")
    assert answer["ok"] and answer["channel"] == "C1"
    refused, retried = slack_stand_in.calls("chat.postMessage")  # the 429 and the retry
    assert retried == refused == {"channel": "C1", "text": "hej"}
    assert len(slack_stand_in.messages("C1")) == 1


def test_rate_limit_without_retry_handler_surfaces(
    slack_web_client: WebClient, slack_stand_in: SlackStandIn
) -> None:
    slack_stand_in.fail_next("chat.postMessage", retry_after=30)
    with pytest.raises(SlackApiError) as raised:
        slack_web_client.chat_postMessage(channel="C1", text="hej")
    response = raised.value.response
    assert (response.status_code, response["error"]) == (429, "ratelimited")
    assert response.headers["Retry-After"] == "30"
    assert slack_web_client.chat_postMessage(channel="C1", text="hej")["ok"]


def test_error_and_server_error_injection(
    slack_web_client: WebClient, slack_stand_in: SlackStandIn
) -> None:
    slack_stand_in.error_next("chat.postMessage", "channel_not_found")
    slack_stand_in.server_error_next("users.info")
    with pytest.raises(SlackApiError) as raised:
        slack_web_client.chat_postMessage(channel="C1", text="hej")
    assert raised.value.response["error"] == "channel_not_found"
    with pytest.raises(SlackApiError) as raised:
        slack_web_client.users_info(user="U1")
    assert raised.value.response.status_code == 500
    assert slack_web_client.users_info(user="U1")["ok"]


def test_wait_for_times_out_with_what_it_saw(
    slack_web_client: WebClient, slack_stand_in: SlackStandIn
) -> None:
    slack_web_client.auth_test()
    with pytest.raises(AssertionError, match=r"views.open.*auth.test"):
        slack_stand_in.wait_for("views.open", timeout=0.1)


def test_reset_forgets_calls_and_state(
    slack_web_client: WebClient, slack_stand_in: SlackStandIn
) -> None:
    slack_web_client.chat_postMessage(channel="C1", text="hej")
    slack_stand_in.fail_next("chat.postMessage")
    slack_stand_in.reset()
    assert slack_stand_in.recorded() == [] and slack_stand_in.messages("C1") == []
    assert slack_web_client.chat_postMessage(channel="C1", text="hej")["ok"]


# -- driving a bolt app with signed requests -------------------------------------------------


def _bolt_app(stand_in: SlackStandIn, signing_secret: str) -> App:
    client = WebClient(token=stand_in.token, base_url=stand_in.base_url)
    return App(signing_secret=signing_secret, client=client)


def _dispatch(app: App, signing_secret: str, body: str, **header_options: Any) -> BoltResponse:
    headers: dict[str, str | Sequence[str]] = {
        **signed_headers(signing_secret, body, **header_options)
    }
    return app.dispatch(BoltRequest(body=body, headers=headers))


def test_bolt_slash_command_acks_and_posts(
    slack_stand_in: SlackStandIn, slack_signing_secret: str
) -> None:
    app = _bolt_app(slack_stand_in, slack_signing_secret)
    assert len(slack_stand_in.calls("auth.test")) == 1  # bolt verifies the token at start

    @app.command("/fraga")
    def ask(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        ack()
        client.chat_postMessage(channel=command["channel_id"], text=f"Fråga: {command['text']}")

    body = slash_command_body("/fraga", "Hur söker jag?", "U1", "C1")
    headers: dict[str, str | Sequence[str]] = {**sign_request(slack_signing_secret, body)}
    response = app.dispatch(BoltRequest(body=body, headers=headers))
    assert response.status == 200
    assert slack_stand_in.wait_for("chat.postMessage")[0]["text"] == "Fråga: Hur söker jag?"


def test_bolt_rejects_forged_and_stale_signatures(
    slack_stand_in: SlackStandIn, slack_signing_secret: str
) -> None:
    app = _bolt_app(slack_stand_in, slack_signing_secret)
    app.command("/fraga")(lambda ack: ack())
    body = slash_command_body("/fraga", "hej", "U1", "C1")
    assert _dispatch(app, "not-the-secret", body).status == 401
    stale = int(time.time()) - 10 * 60
    assert _dispatch(app, slack_signing_secret, body, timestamp=stale).status == 401
    assert _dispatch(app, slack_signing_secret, body).status == 200


def test_bolt_block_action_and_view_submission(
    slack_stand_in: SlackStandIn, slack_signing_secret: str
) -> None:
    app = _bolt_app(slack_stand_in, slack_signing_secret)
    seen: dict[str, Any] = {}

    @app.action("claim")
    def claim(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        seen["claim"] = (body["actions"][0]["value"], body["container"]["message_ts"])

    @app.view("ask")
    def submitted(ack: Ack, view: dict[str, Any]) -> None:
        ack()
        seen["ask"] = (view["state"]["values"]["q"]["text"]["value"], view["private_metadata"])

    body = block_actions_body("claim", "U1", value="42", channel_id="C1", message_ts="1.000001")
    assert _dispatch(app, slack_signing_secret, body).status == 200
    state = plain_text_state({"q": {"text": "Vad gäller?"}})
    body = view_submission_body("ask", state, "U1", private_metadata="C1")
    assert _dispatch(app, slack_signing_secret, body).status == 200
    assert seen == {"claim": ("42", "1.000001"), "ask": ("Vad gäller?", "C1")}


def test_bolt_event_callback_with_retry_headers(
    slack_stand_in: SlackStandIn, slack_signing_secret: str
) -> None:
    app = _bolt_app(slack_stand_in, slack_signing_secret)

    @app.event("message")
    def on_message(event: dict[str, Any], say: Say, request: BoltRequest) -> None:
        retry = request.headers.get("x-slack-retry-num", ["0"])[0]
        say(text=f"{event['text']} (försök {retry})", thread_ts=event["ts"])

    body = event_callback_body(message_event("hjälp", "U1", "C1", ts="5.000001"), "Ev1")
    assert _dispatch(app, slack_signing_secret, body, retry_num=1).status == 200
    posted = slack_stand_in.wait_for("chat.postMessage")[0]
    assert (posted["text"], posted["thread_ts"]) == ("hjälp (försök 1)", "5.000001")
