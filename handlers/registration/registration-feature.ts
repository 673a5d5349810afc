import { isTelegram } from '../../src/core/platform.js'
import { RegistrationAttempts } from '../../src/directory/registration-attempts.js'
import type { Feature } from '../../src/feature.js'
import { registerGroupRegistration } from './group-registration.js'

/** The bot's life in a group: greeted on arrival, bound to a school by /dangky <mã>, deactivated on removal. */
export const registrationFeature: Feature = {
  name: 'registration',
  register(router, deps) {
    registerGroupRegistration(router, {
      directory: deps.directory,
      attempts: new RegistrationAttempts(deps.redis, deps.keys),
      otherBotsOf: (platform) => (isTelegram(platform) ? [...deps.channels.keys()].filter((bot) => isTelegram(bot) && bot !== platform) : []),
    })
    return {}
  },
}
