// Calls a CloudBase cloud function and maps its error codes to user-facing messages.
import cloudbase from "@cloudbase/js-sdk";

const app = cloudbase.init({ env: "demo-env" });

export async function callLogin(user: string): Promise<string> {
  try {
    const res = await app.callFunction({ name: "login", data: { user } });
    return res.result as string;
  } catch (err: any) {
    if (err.code === "EXCEED_RATE_LIMIT") {
      // Too many calls: back off and retry later.
      return "slow down";
    }
    if (err.code === "FUNCTION_NOT_FOUND") {
      return "the login function is not deployed";
    }
    if (err.code === "INVALID_ENV_ID") {
      return "check the environment id";
    }
    return `unexpected error: ${err.code}`;
  }
}

// Strings that merely look like codes are left alone.
export const config = { mode: "NODE_ENV", key: "API_KEY", retries: "MAX_RETRIES" };
export const ownCode = "USER_NOT_FOUND";
