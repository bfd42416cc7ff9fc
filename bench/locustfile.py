"""The load run's people (bench/load.py): each signed in as a member of the network (a session
of the plan), going about their day — the catalogue, their communities' threads, a reply,
an answer to a meeting, a survey, a search. The plan (LOAD_PLAN, a JSON file) says which pages
each person may use; bench/load.py writes it from the database."""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115
PEOPLE = itertools.cycle(PLAN["people"])
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Member(HttpUser):
    wait_time = between(1, 3)  # reading between two clicks

    def on_start(self):
        self.person = next(PEOPLE)
        self.client.cookies.set("sessionid", self.person["session"], domain="127.0.0.1")
        self.random = random.Random(self.person["session"])

    def _token(self, path, name):
        with self.client.get(path, name=name, catch_response=True) as response:
            match = TOKEN.search(response.text)
            if response.status_code == 200 and match is None:
                response.failure("no form on the page")
            return match.group(1) if match else None

    @task(3)
    def catalogue(self):
        self.client.get("/communities/", name="catalogue")

    @task(2)
    def home(self):
        self.client.get("/", name="home")

    @task(2)
    def threads(self):
        self.client.get(self.random.choice(self.person["thread_lists"]), name="threads")

    @task(6)
    def thread(self):
        self.client.get(self.random.choice(self.person["threads"])["path"], name="thread")

    @task(1)
    def reply(self):
        thread = self.random.choice(self.person["threads"])
        token = self._token(thread["path"], "thread")
        if token:
            self.client.post(
                thread["reply"],
                {"csrfmiddlewaretoken": token, "body": "Merci, nous avons essayé chez nous."},
                name="reply (post)",
            )

    @task(1)
    def rsvp(self):
        if not self.person["meetings"]:
            return self.thread()
        meeting = self.random.choice(self.person["meetings"])
        token = self._token(meeting["path"], "meeting")
        if token:
            answer = self.random.choice(["yes", "maybe", "no"])
            data = {"csrfmiddlewaretoken": token, "answer": answer}
            self.client.post(meeting["rsvp"], data, name="rsvp (post)")

    @task(1)
    def survey(self):
        if not self.person["surveys"]:
            return self.thread()
        survey = self.random.choice(self.person["surveys"])
        token = self._token(survey["path"], "survey")
        if token:
            self.client.post(
                survey["answer"],
                {"csrfmiddlewaretoken": token, **survey["fields"]},
                name="survey answer (post)",
            )

    @task(2)
    def search(self):
        word = self.random.choice(PLAN["words"])
        self.client.get(f"/search/?q={word}", name="search")
