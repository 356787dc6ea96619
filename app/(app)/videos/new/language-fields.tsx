"use client";
// The brief's Language and Voice fields. The language follows the topic as it is typed
// (detected in the browser, a moment after the typing stops) until the user picks one by
// hand; only a language picked by hand is sent (the schema detects the same one from the
// topic, and refuses a topic in a language no voice speaks). The voice list holds only the
// voices that speak the language, and a change of language keeps the voice's gender.
import { useEffect, useState } from "react";
import { type DetectedLanguage, detectLanguage } from "@/server/text/detect-language";
import { LANGUAGES, type LanguageCode, voiceInfo, voicesFor, VOICES } from "@/server/videos/brief";
import { Field, inputClass } from "../../../_components/field";

/** How long the topic must rest before it is read again, in milliseconds. */
const DETECT_DELAY_MS = 300;

const label = (l: (typeof LANGUAGES)[number]) => (l.nativeName === l.name ? l.name : `${l.nativeName} — ${l.name}`);

/** The voice of `language` with the gender of `voiceId` (the language's first voice if none). */
function sameGender(voiceId: string, language: LanguageCode) {
  const gender = voiceInfo(voiceId)?.gender;
  const voices = voicesFor(language);
  return (voices.find((v) => v.gender === gender) ?? voices[0]!).id;
}

export function LanguageFields({ topic, errors }: { topic: string; errors: Record<string, string> }) {
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

  return (
    <div className="grid gap-5 sm:grid-cols-2">
      <div className="space-y-1">
        <Field label="Language" name="language" error={errors.language}>
          <select id="language" name="language" value={language} onChange={(e) => pick(e.target.value as LanguageCode)} className={inputClass}>
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
      <Field label="Voice" name="voice" error={errors.voice}>
        <select id="voice" name="voice" value={voice} onChange={(e) => setVoice(e.target.value)} className={inputClass}>
          {voicesFor(language).map((v) => (
            <option key={v.id} value={v.id}>
              {v.label}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}
