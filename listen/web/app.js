'use strict';

// The listener's page. The server owns every bit of state (phase, pending
// trial, progress) and keys it by an HttpOnly cookie, so the page only renders
// the state it is sent; a reload or a later visit resumes where the listener was.
(function () {
  const GAP_MS = 400; // silence between intervals
  const PHASES = ['loading', 'consent', 'level', 'headphones', 'trials', 'comment', 'done'];
  const NETWORK_ERROR = 'Cannot reach the server. Check your connection and try again.';

  const $ = (id) => document.getElementById(id);
  const app = $('app');
  const alertBox = $('alert');
  const trialPanel = $('trial');

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function errorOf(response) {
    try {
      const body = await response.json();
      if (body && typeof body.error === 'string' && body.error) return new ApiError(response.status, body.error);
    } catch (_) { /* not JSON: a proxy's page, say */ }
    return new ApiError(response.status, `The server answered ${response.status} ${response.statusText}.`.trim());
  }

  async function request(path, init) {
    let response;
    try {
      response = await fetch(path, Object.assign({ credentials: 'same-origin', cache: 'no-store' }, init));
    } catch (_) {
      throw new ApiError(0, NETWORK_ERROR);
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  async function api(method, path, body) {
    const init = { method };
    if (body !== undefined) {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const response = await request(path, init);
    try {
      return await response.json();
    } catch (_) {
      throw new ApiError(response.status, 'The server sent an unreadable answer.');
    }
  }

  // Audio is fetched whole into memory so that playback never waits on the network.
  async function fetchAudio(path) {
    const response = await request(path, { method: 'GET' });
    return URL.createObjectURL(await response.blob());
  }

  function showError(message) { alertBox.textContent = message; }
  function clearError() { alertBox.textContent = ''; }

  // A 401 means the session is gone (expired, or the server forgot it):
  // starting again from consent is the only way on.
  function handleError(error) {
    showError(error.message);
    if (error.status === 401) showState(null);
  }

  // ---- Phases ----------------------------------------------------------

  let phase = 'loading';

  function showPhase(name) {
    const changed = name !== phase;
    phase = name;
    app.dataset.phase = name;
    for (const p of PHASES) $('phase-' + p).hidden = p !== name;
    if (!changed) return;
    if (name === 'consent') enterConsent();
    if (name === 'level') enterLevel();
    if (name !== 'level') stopLevel();
    if (name === 'comment') enterComment();
    // Moving focus to the new heading tells screen readers the page changed.
    const heading = document.querySelector(`#phase-${name} h2`);
    if (heading) heading.focus();
  }

  // state === null: no session.
  function showState(state) {
    if (state === null) {
      leaveTrial();
      showPhase('consent');
      return;
    }
    if (!PHASES.includes(state.phase)) {
      showError(`The server sent an unknown phase "${state.phase}".`);
      return;
    }
    updateProgress(state.progress);
    if (state.phase === 'headphones' || state.phase === 'trials') {
      $('phase-' + state.phase).append(trialPanel);
      if (!state.trial) {
        leaveTrial();
        showError('The server sent no trial; reload the page to try again.');
      } else if (!trial || trial.id !== state.trial.id) {
        renderTrial(state.trial);
      } else {
        syncTrialControls();
      }
    } else {
      leaveTrial();
    }
    showPhase(state.phase);
  }

  async function refreshState() {
    try {
      showState(await api('GET', '/api/state'));
    } catch (error) {
      if (error.status === 401) showState(null); // first visit: no error to show
      else showError(error.message);
    }
  }

  async function post(path, body) {
    try {
      const state = await api('POST', path, body);
      clearError();
      showState(state);
      return true;
    } catch (error) {
      handleError(error);
      return false;
    }
  }

  // ---- Consent ---------------------------------------------------------

  const consentCheck = $('consent-check');
  const startButton = $('start');

  function enterConsent() {
    startButton.disabled = !consentCheck.checked;
  }

  consentCheck.addEventListener('change', enterConsent);
  startButton.addEventListener('click', async () => {
    if (!consentCheck.checked) return;
    startButton.disabled = true;
    if (!(await post('/api/session', { consent: true }))) enterConsent();
  });

  // ---- Level -----------------------------------------------------------

  const levelPlay = $('level-play');
  const levelConfirm = $('level-confirm');
  const levelAudio = new Audio();
  levelAudio.loop = true; // keeps playing while the listener turns the volume

  function setLevelPlaying(playing) {
    levelPlay.textContent = playing ? 'Stop' : 'Play sample';
    levelPlay.setAttribute('aria-pressed', String(playing));
  }

  // Loaded on entering the phase, so that the click's play() runs inside the
  // user gesture (browsers that require one refuse a play() after an await).
  async function enterLevel() {
    levelConfirm.disabled = true;
    if (levelAudio.src) {
      levelPlay.disabled = false;
      setLevelPlaying(false);
      return;
    }
    levelPlay.disabled = true;
    levelPlay.textContent = 'Loading…';
    try {
      levelAudio.src = await fetchAudio('/api/level-audio');
      setLevelPlaying(false);
    } catch (error) {
      handleError(error);
      levelPlay.textContent = 'Retry loading';
    }
    levelPlay.disabled = false;
  }

  function stopLevel() {
    if (!levelAudio.paused) levelAudio.pause();
    setLevelPlaying(false);
  }

  levelPlay.addEventListener('click', () => {
    if (!levelAudio.src) { enterLevel(); return; }
    if (!levelAudio.paused) { stopLevel(); return; }
    levelAudio.currentTime = 0;
    levelAudio.play().then(() => {
      setLevelPlaying(true);
      levelConfirm.disabled = false;
    }, (error) => showError(`The sample could not be played (${error.message}).`));
  });

  levelConfirm.addEventListener('click', async () => {
    stopLevel();
    levelConfirm.disabled = true;
    if (!(await post('/api/level', { confirmed: true }))) levelConfirm.disabled = false;
  });

  // ---- Trials ----------------------------------------------------------

  const playButton = $('play');
  const playStatus = $('play-status');
  // One element for every interval: browsers that unlock sound per element on
  // a user gesture (Safari) unlock it once, on the first Play.
  const player = new Audio();

  let trial = null;      // the trial on screen
  let urls = [];         // its intervals' object URLs, once all are loaded
  let played = new Set(); // intervals heard at least once
  let answersOpenAt = null; // performance.now() when the answers opened
  let busy = false;      // an answer is on its way
  let playing = false;
  let playRun = 0;       // bumped to cancel a running sequence
  let stopCurrent = null;

  function updateProgress(progress) {
    if (!progress) return;
    const total = Math.max(0, progress.total | 0);
    const answered = Math.max(0, progress.answered | 0);
    const bar = $('progress');
    bar.max = Math.max(total, 1);
    bar.value = Math.min(answered, total);
    // "~": the server may add trials (repeats, catch trials) as it goes.
    $('progress-label').textContent = `Trial ${Math.min(answered + 1, Math.max(total, 1))} of ~${total}`;
  }

  function choiceButtons() {
    return Array.from($('choices').querySelectorAll('button'));
  }

  function syncTrialControls() {
    const open = answersOpenAt !== null && !busy;
    for (const button of choiceButtons()) button.disabled = !open;
    playButton.disabled = busy || playing || urls.length === 0;
  }

  function revokeUrls() {
    for (const url of urls) URL.revokeObjectURL(url);
    urls = [];
  }

  function leaveTrial() {
    stopPlayback();
    revokeUrls();
    player.removeAttribute('src');
    trial = null;
    busy = false;
  }

  function renderTrial(next) {
    leaveTrial();
    trial = next;
    played = new Set();
    answersOpenAt = null;
    trialPanel.dataset.trialId = String(next.id);
    trialPanel.dataset.kind = next.kind;
    $('question').textContent = next.question;

    const boxes = next.audio.map((_, i) => {
      const box = document.createElement('div');
      box.id = `interval-${i}`;
      box.className = 'interval';
      box.textContent = String(i + 1);
      return box;
    });
    $('intervals').replaceChildren(...boxes);

    const buttons = next.choices.map((label, i) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.id = `choice-${i}`;
      button.className = 'choice';
      button.disabled = true;
      const key = document.createElement('kbd');
      key.textContent = String(i + 1);
      button.append(key, ' ', label);
      button.addEventListener('click', () => answer(i));
      return button;
    });
    $('choices').replaceChildren(...buttons);
    const keys = next.choices.map((_, i) => {
      const key = document.createElement('kbd');
      key.textContent = String(i + 1);
      return key;
    });
    $('choice-keys').replaceChildren(...keys.flatMap((key, i) => (i ? [' ', key] : [key])));

    preload(next);
  }

  async function preload(t) {
    playButton.disabled = true;
    playButton.textContent = 'Loading…';
    playStatus.textContent = 'Loading…';
    const results = await Promise.allSettled(t.audio.map(fetchAudio));
    const loaded = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    const failed = results.find((r) => r.status === 'rejected');
    if (trial !== t || failed) {
      for (const url of loaded) URL.revokeObjectURL(url);
      if (trial === t) {
        handleError(failed.reason);
        playButton.textContent = 'Retry loading';
        playButton.disabled = false;
        playStatus.textContent = '';
      }
      return;
    }
    urls = loaded;
    playButton.textContent = 'Play';
    playStatus.textContent = 'Press Play to hear the sounds.';
    syncTrialControls();
  }

  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  // Resolves when the interval has played to its end, or when it is stopped.
  function playInterval(url) {
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error) => {
        if (settled) return;
        settled = true;
        player.onended = null;
        player.onerror = null;
        stopCurrent = null;
        if (error) reject(error); else resolve();
      };
      player.onended = () => finish();
      player.onerror = () => finish(new Error('the browser could not decode it'));
      stopCurrent = () => { player.pause(); finish(); };
      player.src = url;
      player.play().catch((error) => finish(error));
    });
  }

  function stopPlayback() {
    playRun += 1;
    playing = false;
    if (stopCurrent) stopCurrent();
    for (const box of document.querySelectorAll('.interval.playing')) box.classList.remove('playing');
  }

  async function playAll() {
    const run = ++playRun;
    playing = true;
    syncTrialControls();
    playButton.textContent = 'Playing…';
    for (let i = 0; i < urls.length; i++) {
      if (i > 0) await sleep(GAP_MS);
      if (run !== playRun) return;
      const box = $(`interval-${i}`);
      box.classList.add('playing');
      playStatus.textContent = `Playing sound ${i + 1} of ${urls.length}`;
      try {
        await playInterval(urls[i]);
      } catch (error) {
        if (run !== playRun) return;
        box.classList.remove('playing');
        playing = false;
        showError(`The sound could not be played (${error.message}).`);
        playButton.textContent = 'Play';
        playStatus.textContent = '';
        syncTrialControls();
        return;
      }
      if (run !== playRun) return;
      box.classList.remove('playing');
      played.add(i);
    }
    playing = false;
    playButton.textContent = 'Play again';
    if (played.size === urls.length) {
      // Response time counts from when the listener could first answer.
      if (answersOpenAt === null) answersOpenAt = performance.now();
      playStatus.textContent = 'Choose your answer, or play again.';
    }
    syncTrialControls();
  }

  playButton.addEventListener('click', () => {
    if (!trial || busy || playing) return;
    if (urls.length === 0) preload(trial); // an earlier load failed
    else playAll();
  });

  async function answer(choice) {
    if (!trial || busy || answersOpenAt === null || choice >= trial.choices.length) return;
    const t = trial;
    const responseMs = Math.round(performance.now() - answersOpenAt);
    busy = true;
    stopPlayback();
    syncTrialControls();
    $(`choice-${choice}`).classList.add('chosen');
    try {
      const state = await api('POST', '/api/answer', { trial: t.id, choice, response_ms: responseMs });
      clearError();
      showState(state);
    } catch (error) {
      handleError(error);
      if (trial !== t) return;
      if (error.status === 404 || error.status === 409) {
        // This trial is no longer the pending one (answered in another tab,
        // say): the server's state says which is.
        busy = false;
        await refreshState();
        return;
      }
      busy = false;
      $(`choice-${choice}`).classList.remove('chosen');
      playButton.textContent = 'Play again';
      syncTrialControls();
    }
  }

  // Space plays, 1/2/3 answer, wherever the focus is (except in text fields).
  function isTrialKey(event) {
    if (phase !== 'headphones' && phase !== 'trials') return false;
    if (event.ctrlKey || event.metaKey || event.altKey) return false;
    const target = event.target;
    return !(target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement);
  }

  document.addEventListener('keydown', (event) => {
    if (!isTrialKey(event)) return;
    if (event.key === ' ') {
      // Not the focused button's own activation: space always means Play here.
      event.preventDefault();
      if (!event.repeat) playButton.click();
    } else if (/^[1-9]$/.test(event.key) && trial && Number(event.key) <= trial.choices.length) {
      event.preventDefault();
      if (!event.repeat) answer(Number(event.key) - 1);
    }
  });
  document.addEventListener('keyup', (event) => {
    if (isTrialKey(event) && event.key === ' ') event.preventDefault();
  });

  // ---- Comment ---------------------------------------------------------

  const commentText = $('comment-text');
  const commentSend = $('comment-send');
  const commentSkip = $('comment-skip');

  function enterComment() {
    commentSend.disabled = false;
    commentSkip.disabled = false;
    updateCount();
  }

  function updateCount() {
    $('comment-count').textContent = `${commentText.value.length} / 500`;
  }

  async function sendComment(text) {
    commentSend.disabled = true;
    commentSkip.disabled = true;
    if (!(await post('/api/comment', { text }))) {
      enterComment();
      commentText.focus();
    }
  }

  commentText.addEventListener('input', updateCount);
  // Line breaks are control characters to the server; to the listener they are
  // just spacing, so they travel as spaces.
  commentSend.addEventListener('click', () => sendComment(commentText.value.replace(/[\r\n\t]+/g, ' ').trim()));
  commentSkip.addEventListener('click', () => sendComment(''));

  // ---- Start -----------------------------------------------------------

  async function start() {
    try {
      const intro = await api('GET', '/api/intro');
      if (intro.title) {
        $('title').textContent = intro.title;
        document.title = intro.title;
      }
      $('consent-text').textContent = intro.consent || '';
      $('instructions-text').textContent = intro.instructions || '';
      $('trials-instructions').textContent = intro.instructions || '';
    } catch (error) {
      showError(error.message);
    }
    await refreshState();
  }

  start();
})();
