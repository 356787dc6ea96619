"use client";
// The brief's Language and Voice fields (Language in the Content section, Voice in Sound, so
// their shared state lives in one hook). The language follows the topic as it is typed
// (detected in the browser, a moment after the typing stops) until the user picks one by
// hand; only a language picked by hand is sent (the schema detects the same one from the
// topic, and refuses a topic in a language no voice speaks). The voice list holds only the
// voices that speak the language, and a change of language keeps the voice's gender. Beside
// the voice, a button plays a sample of it (voice-sample.tsx).
import { useEffect, useState } from "react";
import { type DetectedLanguage, detectLanguage } from "@/server/text/detect-language";
import { LANGUAGES, type LanguageCode, voiceInfo, voicesFor, VOICES } from "@/server/videos/brief";
import { Field, inputClass, invalidProps } from "../../../_components/field";
import { VoiceSample } from "./voice-sample";

/** How long the topic must rest before it is read again, in milliseconds. */
const DETECT_DELAY_MS = 300;

const label = (l: (typeof LANGUAGES)[number]) => (l.nativeName === l.name ? l.name : `${l.nativeName} — ${l.name}`);

/** The voice of `language` with the gender of `voiceId` (the language's first voice if none). */
function sameGender(voiceId: string, language: LanguageCode) {
  const gender = voiceInfo(voiceId)?.gender;
  const voices = voicesFor(language);
  return (voices.find((v) => v.gender === gender) ?? voices[0]!).id;
}

export type LanguageAndVoice = ReturnType<typeof useLanguageAndVoice>;

export function useLanguageAndVoice(topic: string) {
  const [language, setLanguage] = useState<LanguageCode>("en");
  const [voice, setVoice] = useState(VOICES[0]!.id);
  const [pickedByHand, setPickedByHand] = useState(false);
  const [detected, setDetected] = useState<DetectedLanguage | null>(null);

  useEffect(() => {
    const timer = setTimeout(() => {
      const found = detectLanguage(topic);
      setDetected(found?.confident ? found : null);
      const code = found?.confident ? (found.info?.code as LanguageCode | undefined) : undefined;
      if (code && !pickedByHand) {
        setLanguage(code);
        setVoice((v) => (voiceInfo(v)?.language === code ? v : sameGender(v, code)));
      }
    }, DETECT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [topic, pickedByHand]);

  function pick(code: LanguageCode) {
    setPickedByHand(true);
    setLanguage(code);
    setVoice((v) => sameGender(v, code));
  }

  return { language, voice, setVoice, pickedByHand, detected, pick };
}

export function LanguageField({ state, error }: { state: LanguageAndVoice; error?: string }) {
  const { language, pickedByHand, detected, pick } = state;
  return (
    <div className="min-w-0 space-y-1">
      <Field label="Language" name="language" error={error}>
        <select
          id="language"
          name="language"
          value={language}
          onChange={(e) => pick(e.target.value as LanguageCode)}
          className={inputClass}
          {...invalidProps("language", error)}
        >
          {LANGUAGES.map((l) => (
            <option key={l.code} value={l.code}>
              {label(l)}
            </option>
          ))}
        </select>
      </Field>
      {pickedByHand ? <input type="hidden" name="languagePicked" value="1" /> : null}
      {detected ? (
        <p className="text-xs text-slate-500" data-testid="detected-language">
          {detected.info
            ? `Detected from the topic: ${detected.info.name}${pickedByHand && detected.info.code !== language ? " (you chose another language)" : ""}`
            : `The topic seems to be in ${detected.name}, which Aura cannot narrate yet`}
        </p>
      ) : null}
    </div>
  );
}

export function VoiceField({ state, error }: { state: LanguageAndVoice; error?: string }) {
  const { language, voice, setVoice } = state;
  return (
    <Field label="Voice" name="voice" error={error}>
      <div className="flex flex-wrap items-center gap-2">
        <select
          id="voice"
          name="voice"
          value={voice}
          onChange={(e) => setVoice(e.target.value)}
          className={`${inputClass} min-w-0 flex-1 basis-48`}
          {...invalidProps("voice", error)}
        >
          {voicesFor(language).map((v) => (
            <option key={v.id} value={v.id}>
              {v.label}
            </option>
          ))}
        </select>
        <VoiceSample voice={voice} />
      </div>
    </Field>
  );
}
