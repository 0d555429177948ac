#!/usr/bin/python3
"""Drives one whole listening-test session in headless Chromium, as a listener would.

It clicks through consent, the level screen, the headphone check, the
listening trials and the comment, answering each trial from the audio the
server sends (fetched with the browser's own session cookie):
  headphone check: the interval with the lowest per-channel RMS (the -6 dB
    tone; the antiphase tone has the in-phase tone's per-channel RMS);
  n-AFC "which is noisier": the interval whose 20 ms frame levels spread least
    between their 90th and 10th percentiles (noise fills the pauses);
  same/different: "different" when those spreads differ by more than 3 dB.

Usage: /usr/bin/python3 browser_session.py --url http://127.0.0.1:PORT --out DIR [--max-trials N]

With --max-trials N it stops after N listening trials if trials remain
(no comment then). Prints one JSON line on stdout:
  {"answers": [{"trial": id, "choice": k}, ...], "phase": "<final phase>", "screenshot": "<path>"}
and saves OUT/listen-trial-page.png (a listening trial, after Play).
Exit status: 0 success; 77 selenium, Chromium or chromedriver missing, or
Chromium unable to start (the caller skips); 1 any other failure, with a
one-line reason on stderr and OUT/failure.png when the browser was up.
"""
import argparse
import io
import json
import os
import sys
import urllib.error
import urllib.request
import wave

try:
    import numpy as np
except ImportError as error:
    np = None
    NUMPY_MISSING = str(error)
try:
    from selenium import webdriver
    from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    SELENIUM_MISSING = None
except ImportError as error:
    SELENIUM_MISSING = str(error)

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
COOKIE = "jsqa_listener"
WAIT_S = 30.0  # bound on every wait, so that a broken page fails instead of hanging
SKIP = 77
COMMENT_REFUSED = "Clear sounds <3"  # the server refuses "<": the page must show why
COMMENT = "The instructions were clear, thank you."


class Failure(Exception):
    pass


def skip(reason):
    print(f"browser_session: skipped: {reason}", file=sys.stderr)
    sys.exit(SKIP)


def one_line(text):
    return " ".join(str(text).split())


# ---- Judging the audio ----------------------------------------------------

def read_wav(data):
    """Samples as float [frames, channels] in [-1, 1], and the sample rate."""
    with wave.open(io.BytesIO(data)) as w:
        channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
        raw = w.readframes(w.getnframes())
    if width == 1:
        x = np.frombuffer(raw, np.uint8).astype(np.float64) - 128.0
    elif width == 3:
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int32)
        x = ((b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)) << 8 >> 8).astype(np.float64)
    else:
        x = np.frombuffer(raw, {2: "<i2", 4: "<i4"}[width]).astype(np.float64)
    return x.reshape(-1, channels) / float(2 ** (8 * width - 1)), rate


def channel_rms(x):
    return float(np.mean(np.sqrt(np.mean(x ** 2, axis=0))))


def level_spread_db(x, rate):
    """90th minus 10th percentile of 20 ms frame levels: small when noise fills the pauses."""
    mono = x.mean(axis=1)
    size = max(1, int(round(0.020 * rate)))
    count = len(mono) // size
    if count < 2:
        raise Failure(f"a stimulus of {len(mono)} samples is too short to judge")
    frames = mono[: count * size].reshape(count, size)
    levels = 10.0 * np.log10(np.mean(frames ** 2, axis=1) + 1e-10)
    return float(np.percentile(levels, 90) - np.percentile(levels, 10))


def decide(trial, task, wavs):
    if trial["kind"] == "headphones":
        return int(np.argmin([channel_rms(x) for x, _ in wavs]))
    spreads = [level_spread_db(x, rate) for x, rate in wavs]
    labels = [c.lower() for c in trial["choices"]]
    if task == "same_different" or labels == ["same", "different"]:
        answer = "different" if abs(spreads[0] - spreads[1]) > 3.0 else "same"
        # The protocol's order is Same, Different; the labels say so when they can.
        return labels.index(answer) if answer in labels else ["same", "different"].index(answer)
    return int(np.argmin(spreads))


# ---- The session ----------------------------------------------------------

class Session:
    def __init__(self, driver, args):
        self.driver = driver
        self.url = args.url.rstrip("/")
        self.out = args.out
        self.max_trials = args.max_trials
        self.answers = []
        self.screenshot = None

    # -- page helpers --

    def find(self, css):
        found = self.driver.find_elements(By.CSS_SELECTOR, css)
        return found[0] if found else None

    def phase(self):
        app = self.find("#app")
        return app.get_attribute("data-phase") if app else None

    def alert_text(self):
        box = self.find("#alert")
        return box.text.strip() if box else ""

    def wait(self, condition, what, seconds=WAIT_S):
        # Elements go stale when the page re-renders a trial: look again.
        waiter = WebDriverWait(self.driver, seconds, poll_frequency=0.1,
                               ignored_exceptions=(StaleElementReferenceException,))
        try:
            return waiter.until(lambda _: condition())
        except TimeoutException:
            alert = self.alert_text()
            raise Failure(f"waited {seconds:.0f} s for {what}" + (f"; the page says: {alert}" if alert else ""))

    def enabled(self, css):
        element = self.find(css)
        return element is not None and element.is_displayed() and element.is_enabled()

    def click(self, css):
        self.wait(lambda: self.enabled(css), f"{css} to be enabled")
        self.find(css).click()

    def wait_phase_leaves(self, phase, earlier_alert=""):
        """Waits for the next phase, or for a new error on the page."""
        self.wait(lambda: self.phase() != phase or self.alert_text() not in ("", earlier_alert),
                  f"the page to leave phase {phase}")
        if self.phase() == phase:
            raise Failure(f"phase {phase}: the page says: {self.alert_text()}")

    # -- server helpers, with the browser's session --

    def fetch(self, path, with_cookie=True):
        headers = {}
        if with_cookie:
            cookie = next((c for c in self.driver.get_cookies() if c["name"] == COOKIE), None)
            if cookie is None:
                raise Failure(f"the browser holds no {COOKIE} cookie")
            headers["Cookie"] = f"{COOKIE}={cookie['value']}"
        request = urllib.request.Request(self.url + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=WAIT_S) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            raise Failure(f"GET {path}: {error.code} {one_line(error.read()[:200].decode('utf-8', 'replace'))}")
        except (urllib.error.URLError, OSError) as error:
            raise Failure(f"GET {path}: {error}")

    # -- the steps --

    def run(self):
        self.task = json.loads(self.fetch("/api/intro", with_cookie=False))["task"]
        self.driver.get(self.url + "/")
        self.wait(lambda: self.phase() not in (None, "loading") or self.alert_text(), "the page to load")
        listening = 0
        while True:
            phase = self.phase()
            if phase == "consent":
                self.click("#consent-check")
                self.click("#start")
                self.wait_phase_leaves("consent")
            elif phase == "level":
                self.click("#level-play")
                self.click("#level-confirm")
                self.wait_phase_leaves("level")
            elif phase in ("headphones", "trials"):
                if not self.trial(phase, listening):
                    return self.result()
                listening += phase == "trials"
            elif phase == "comment":
                self.comment()
            elif phase == "done":
                return self.result()
            else:
                alert = self.alert_text()
                raise Failure(f"the page shows phase {phase!r}" + (f"; it says: {alert}" if alert else ""))

    def trial(self, phase, listening):
        """Answers the pending trial; False when --max-trials says stop here."""
        # The Play button is enabled once every interval has been preloaded.
        self.wait(lambda: self.find("#trial").get_attribute("data-trial-id") and self.enabled("#play"),
                  "the trial's audio to load")
        shown = int(self.find("#trial").get_attribute("data-trial-id"))
        state = json.loads(self.fetch("/api/state"))
        trial = state.get("trial") or {}
        if trial.get("id") != shown:
            raise Failure(f"the page shows trial {shown}, the server's pending trial is {trial.get('id')}")
        wavs = [read_wav(self.fetch(path)) for path in trial["audio"]]
        choice = decide(trial, self.task, wavs)
        seconds = sum(len(x) / rate for x, rate in wavs)

        self.click("#play")
        # Intervals play in real time, one after the other.
        buttons = [f"#choice-{i}" for i in range(len(trial["choices"]))]
        self.wait(lambda: all(self.enabled(b) for b in buttons),
                  "the answer buttons after playback", WAIT_S + seconds)
        if phase == "trials" and self.screenshot is None:
            self.screenshot = os.path.join(self.out, "listen-trial-page.png")
            if not self.driver.save_screenshot(self.screenshot):
                raise Failure(f"could not save {self.screenshot}")
        if phase == "trials" and self.max_trials is not None and listening >= self.max_trials:
            return False

        self.find(f"#choice-{choice}").click()
        self.answers.append({"trial": shown, "choice": choice})
        self.wait(lambda: self.phase() != phase or self.find("#trial").get_attribute("data-trial-id") != str(shown)
                  or self.alert_text(), f"the trial after {shown}")
        if self.alert_text():
            raise Failure(f"answering trial {shown}: the page says: {self.alert_text()}")
        return True

    def comment(self):
        box = self.find("#comment-text")
        # A refused comment: the server's reason shows, and the text stays to fix.
        box.clear()
        box.send_keys(COMMENT_REFUSED)
        self.click("#comment-send")
        self.wait(lambda: self.alert_text(), "the page to show why the comment was refused")
        if self.phase() != "comment" or box.get_attribute("value") != COMMENT_REFUSED:
            raise Failure("after a refused comment the page left the comment screen or lost the text")
        refused = self.alert_text()
        box.clear()
        box.send_keys(COMMENT)
        self.click("#comment-send")
        self.wait_phase_leaves("comment", refused)

    def result(self):
        return {"answers": self.answers, "phase": self.phase(), "screenshot": self.screenshot}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8080")
    parser.add_argument("--out", required=True, help="folder for the screenshots")
    parser.add_argument("--max-trials", type=int, default=None,
                        help="stop after this many listening trials (default: to the end)")
    args = parser.parse_args()

    if SELENIUM_MISSING:
        skip(f"selenium is not importable by {sys.executable} ({SELENIUM_MISSING})")
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            skip(f"{path} is missing")
    if np is None:
        print(f"browser_session: numpy is not importable by {sys.executable} ({NUMPY_MISSING})", file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                 "--autoplay-policy=no-user-gesture-required", "--window-size=1280,900"):
        options.add_argument(flag)
    try:
        # A Service with an explicit path keeps selenium from looking for a driver online.
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except Exception as error:
        skip(f"Chromium did not start: {one_line(getattr(error, 'msg', None) or error)[:300]}")

    try:
        driver.set_page_load_timeout(WAIT_S)
        driver.set_script_timeout(WAIT_S)
        result = Session(driver, args).run()
    except Exception as error:
        reason = str(error) if isinstance(error, Failure) else f"{type(error).__name__}: {getattr(error, 'msg', None) or error}"
        try:
            driver.save_screenshot(os.path.join(args.out, "failure.png"))
        except Exception:
            pass  # the reason below matters more than the picture
        print(f"browser_session: {one_line(reason)[:500]}", file=sys.stderr)
        return 1
    finally:
        driver.quit()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
